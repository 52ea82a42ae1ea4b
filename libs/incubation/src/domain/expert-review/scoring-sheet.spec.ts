import {
  applicationDecider,
  declareConflict,
  isConflicted,
  replaceExpert,
  scoreApplication,
} from '../application/application.decider';
import type { ApplicationEvent } from '../application/application.events';
import { BASE_POLICY, policyProblems, rule, withCriteria } from '../policies/policy.fixtures';
import type { ExpertPanelSettings, ScoringSheet } from '../policies/policy-types';
import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import { totalOfSheet } from './scoring-sheet';

const sheet: ScoringSheet = {
  indicators: [
    { code: 'innovation', label: { zh: '技术创新能力', en: 'Innovation' }, weight: 40, maxScore: 40 },
    { code: 'growth', label: { zh: '成长性', en: 'Growth' }, weight: 30, maxScore: 30 },
    { code: 'management', label: { zh: '经营管理', en: 'Management' }, weight: 30, maxScore: 30 },
  ],
};
const scores = (innovation: number, growth: number, management: number) => [
  { code: 'innovation', score: innovation, comment: '专利质量较高' },
  { code: 'growth', score: growth, comment: null },
  { code: 'management', score: management, comment: null },
];

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the scoring sheet (评分表)', () => {
  it('adds the indicators when each weight is its maximum, in the sheet order, with the comments', () => {
    const result = totalOfSheet(sheet, scores(35, 22, 25).reverse());
    expect(result).toEqual({
      total: 82,
      exact: '82',
      indicators: [
        { code: 'innovation', score: 35, comment: '专利质量较高' },
        { code: 'growth', score: 22, comment: null },
        { code: 'management', score: 25, comment: null },
      ],
    });
  });

  it('weighs each indicator by its share when the maximum differs, rounding the total half up', () => {
    const tenPoint: ScoringSheet = {
      indicators: [
        { code: 'a', label: { zh: '甲', en: 'A' }, weight: 50, maxScore: 10 },
        { code: 'b', label: { zh: '乙', en: 'B' }, weight: 50, maxScore: 4 },
      ],
    };
    // 50 × 7/10 + 50 × 3/4 = 35 + 37.5 = 72.5 → 73
    expect(
      totalOfSheet(tenPoint, [
        { code: 'a', score: 7, comment: null },
        { code: 'b', score: 3, comment: null },
      ]),
    ).toMatchObject({ total: 73, exact: '72.5' });
    // 50 × 7/10 + 50 × 2/4 = 60 exactly
    expect(
      totalOfSheet(tenPoint, [
        { code: 'a', score: 7, comment: null },
        { code: 'b', score: 2, comment: null },
      ]).total,
    ).toBe(60);
    const thirds: ScoringSheet = {
      indicators: [
        { code: 'a', label: { zh: '甲', en: 'A' }, weight: 33.33, maxScore: 3 },
        { code: 'b', label: { zh: '乙', en: 'B' }, weight: 33.33, maxScore: 3 },
        { code: 'c', label: { zh: '丙', en: 'C' }, weight: 33.34, maxScore: 3 },
      ],
    };
    const one = (code: string, score: number) => ({ code, score, comment: null });
    expect(totalOfSheet(thirds, [one('a', 3), one('b', 3), one('c', 3)]).total).toBe(100);
    expect(totalOfSheet(thirds, [one('a', 2), one('b', 2), one('c', 2)])).toMatchObject({
      total: 67,
      exact: '≈ 66.67',
    });
  });

  it('refuses a sheet not filled in correctly, naming each indicator', () => {
    const error = refusal(() =>
      totalOfSheet(sheet, [
        { code: 'innovation', score: 41, comment: null },
        { code: 'growth', score: 2.5, comment: null },
        { code: 'growth', score: 2, comment: null },
        { code: 'luck', score: 1, comment: null },
      ]),
    );
    expect(error.code).toBe('SCORE_INVALID');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { field: 'indicators[2].code', message: '"growth" is scored twice' },
        { field: 'indicators[3].code', message: '"luck" is not on the scoring sheet' },
        { field: 'indicators.innovation.score', message: 'must be an integer from 0 to 40' },
        { field: 'indicators.growth.score', message: 'must be an integer from 0 to 30' },
        { field: 'indicators', message: '"management" (经营管理) is not scored' },
      ]),
    );
  });

  describe('in the policy file', () => {
    const withSheet = (scoring: unknown) =>
      withCriteria([rule('floor', { measure: 'revenue', atLeast: 1 })], {
        workflow: { ...BASE_POLICY.workflow, expertPanel: { ...BASE_POLICY.workflow.expertPanel, scoring } },
      });

    it('is accepted when its weights add up to 100 and its codes are unique', () => {
      expect(policyProblems(withSheet(sheet))).toEqual([]);
    });

    it('is refused when the weights do not add up, a code repeats or a label is missing', () => {
      const [first, ...rest] = sheet.indicators;
      expect(policyProblems(withSheet({ indicators: [{ ...first, weight: 50 }, ...rest] }))).toEqual([
        'workflow.expertPanel.scoring.indicators: the weights add up to 110, not 100',
      ]);
      expect(
        policyProblems(withSheet({ indicators: [first, { ...rest[0], code: 'innovation' }, rest[1]] })),
      ).toEqual(['workflow.expertPanel.scoring.indicators[1].code: "innovation" appears twice']);
      expect(policyProblems(withSheet({ indicators: [{ ...first, label: undefined }, ...rest] }))[0]).toMatch(
        /^workflow\.expertPanel\.scoring\.indicators\[0\]\.label/,
      );
    });
  });
});

describe('expert declarations and scoring from the sheet', () => {
  const settings: ExpertPanelSettings = {
    size: 2,
    passThreshold: 70,
    comparison: '>',
    scoringWorkingDays: 10,
    poolMultiple: 1,
    expertSees: [],
    disclosure: 'none',
    scoring: sheet,
  };
  const inReview: ApplicationEvent[] = [
    {
      type: 'ApplicationCreated',
      data: {
        applicationId: 'a-1',
        roundId: 'r-1',
        programme: 'eaglet',
        policyVersion: 'eaglet/wuxi-2024',
        creditCode: '91320214MA1XYZ1234',
        jurisdiction: 'js.wuxi.xinwu',
        roundJurisdiction: 'js.wuxi',
        data: {},
      },
    },
    { type: 'ApplicationAcceptedForExpertReview', data: { stage: 'city', reason: '通过' } },
    {
      type: 'ExpertPanelDrawn',
      data: {
        seed: 's',
        rules: { size: 2, minFinancial: 0, minTechnicalSharePercent: 0 },
        candidates: [],
        excluded: [],
        experts: ['e-1', 'e-2'],
        dueOn: '2026-06-15',
      },
    },
  ];
  const state = (...events: ApplicationEvent[]) => fold(applicationDecider, [...inReview, ...events]);
  const score = (s: ReturnType<typeof state>, expertId: string, extra: Record<string, unknown>) =>
    scoreApplication(s, { expertId, comment: null, settings, next: null, ...extra });

  it('requires a declaration of no conflict before scoring from the sheet', () => {
    expect(refusal(() => score(state(), 'e-1', { indicators: scores(30, 20, 20) })).code).toBe(
      'DECLARATION_REQUIRED',
    );
  });

  it('computes the total from the indicators and refuses a typed total', () => {
    const declared = declareConflict(state(), { expertId: 'e-1', conflict: false, reason: null });
    expect(declared).toEqual([
      { type: 'ExpertConflictDeclared', data: { expertId: 'e-1', conflict: false, reason: null } },
    ]);
    const s = state(...declared);
    expect(refusal(() => score(s, 'e-1', { score: 90 })).code).toBe('SCORE_COMPUTED');
    const [event] = score(s, 'e-1', { indicators: scores(35, 22, 25) });
    expect(event).toEqual({
      type: 'ExpertScoreSubmitted',
      data: { expertId: 'e-1', score: 82, comment: null, exact: '82', indicators: expect.any(Array) },
    });
    expect(refusal(() => score(state(...declared, event), 'e-1', { indicators: scores(1, 1, 1) })).code).toBe(
      'ALREADY_SCORED',
    );
    expect(
      refusal(() => declareConflict(state(...declared), { expertId: 'e-1', conflict: true, reason: 'x' }))
        .code,
    ).toBe('ALREADY_DECLARED');
  });

  it('concludes on the computed totals', () => {
    const events = [
      ...declareConflict(state(), { expertId: 'e-1', conflict: false, reason: null }),
      ...declareConflict(state(), { expertId: 'e-2', conflict: false, reason: null }),
    ];
    const first = score(state(...events), 'e-1', { indicators: scores(35, 22, 25) });
    const last = score(state(...events, ...first), 'e-2', { indicators: scores(30, 20, 20) });
    expect(last[1]).toMatchObject({ type: 'ExpertReviewConcluded', data: { mean: '76', passed: true } });
  });

  it('asks for a replacement when an expert declares a conflict, with a reason', () => {
    expect(
      refusal(() => declareConflict(state(), { expertId: 'e-2', conflict: true, reason: ' ' })).code,
    ).toBe('REASON_REQUIRED');
    const declared = declareConflict(state(), { expertId: 'e-2', conflict: true, reason: '曾任该企业顾问' });
    const s = state(...declared);
    expect(isConflicted(s, 'e-2')).toBe(true);
    expect(refusal(() => score(s, 'e-2', { indicators: scores(30, 20, 20) })).code).toBe('CONFLICT_DECLARED');
    const replaced = replaceExpert(
      s,
      {
        expertId: 'e-2',
        replacement: 'e-3',
        reason: 'conflict-of-interest',
        seed: 's',
        candidates: [],
        dueOn: '2026-06-20',
      },
      '2026-06-02',
    );
    expect(replaced).toHaveLength(1);
    const after = state(...declared, ...replaced);
    expect(after.panel!.members.map((m) => m.expertId)).toEqual(['e-1', 'e-3']);
    expect(isConflicted(after, 'e-2')).toBe(false);
    // Not overdue, so the overdue replacement does nothing for a conflicted seat before its date.
    expect(replaceExpert(s, { ...replaced[0].data, reason: 'overdue' } as never, '2026-06-02')).toEqual([]);
  });

  it('keeps a single score for policies without a sheet', () => {
    const plain = { ...settings, scoring: undefined };
    const [event] = scoreApplication(state(), {
      expertId: 'e-1',
      score: 80,
      comment: null,
      settings: plain,
      next: null,
    });
    expect(event).toEqual({
      type: 'ExpertScoreSubmitted',
      data: { expertId: 'e-1', score: 80, comment: null },
    });
    expect(
      refusal(() =>
        scoreApplication(state(), {
          expertId: 'e-1',
          indicators: scores(1, 1, 1),
          comment: null,
          settings: plain,
          next: null,
        }),
      ).code,
    ).toBe('NO_SCORING_SHEET');
  });
});
