import { eagletData } from '../../testing/sample-applications';
import type { PanelDisclosure, WorkflowSettings } from '../policies/policy-types';
import { applicationDecider, type ExistingApplication } from './application.decider';
import type { ApplicationEvent } from './application.events';
import {
  enterpriseHistory,
  enterpriseView,
  expertView,
  fullView,
  type HistoryEntry,
  pickFields,
} from './application-views';

const policy = (disclosure: PanelDisclosure = 'none') => ({
  workflow: {
    reviewStages: ['district', 'city', 'expert-panel'],
    expertPanel: {
      size: 2,
      passThreshold: 70,
      comparison: '>',
      scoringWorkingDays: 10,
      poolMultiple: 3,
      expertSees: ['financials.year', 'financials.rdExpense', 'employees', 'ipRights'],
      disclosure,
    },
  } as WorkflowSettings,
});

const eligibility = {
  eligible: true,
  policyVersion: 'eaglet/wuxi-2024',
  checks: [
    { rule: 'age', passed: true, hard: true, actual: '成立于 2019-05-20', required: '> 1 年' },
    { rule: 'revenue-cap', passed: true, hard: true, actual: '8,200,000', required: '≤ 20,000,000' },
  ],
} as never;

const events: ApplicationEvent[] = [
  {
    type: 'ApplicationCreated',
    data: {
      applicationId: 'a1',
      roundId: 'r1',
      programme: 'eaglet',
      policyVersion: 'eaglet/wuxi-2024',
      creditCode: '91320214MA1AB0001X',
      jurisdiction: 'js.wuxi.xinwu',
      roundJurisdiction: 'js.wuxi',
      data: eagletData() as never,
    },
  },
  {
    type: 'ApplicationSubmitted',
    data: {
      data: eagletData() as never,
      eligibility,
      policyVersion: 'eaglet/wuxi-2024',
      resubmission: false,
    },
  },
  { type: 'ApplicationRecommended', data: { stage: 'district', reason: '同意' } },
  { type: 'ApplicationAcceptedForExpertReview', data: { stage: 'city', reason: '同意' } },
  {
    type: 'ExpertPanelDrawn',
    data: {
      seed: 's',
      rules: { size: 2 } as never,
      candidates: [],
      excluded: [],
      experts: ['e-1', 'e-2'],
      dueOn: '2026-04-01',
    },
  },
  { type: 'ExpertScoreSubmitted', data: { expertId: 'e-1', score: 80, comment: '好' } },
];
const secondScore: ApplicationEvent = {
  type: 'ExpertScoreSubmitted',
  data: { expertId: 'e-2', score: 90, comment: null },
};
const concluded: ApplicationEvent = {
  type: 'ExpertReviewConcluded',
  data: {
    scores: [
      { expertId: 'e-1', score: 80 },
      { expertId: 'e-2', score: 90 },
    ],
    mean: '85',
    required: '> 70',
    passed: true,
    next: null,
  },
};
const rejected: ApplicationEvent = {
  type: 'ApplicationRejected',
  data: { stage: 'publicity', reason: '异议成立' },
};

const fold = (list: ApplicationEvent[]): ExistingApplication => {
  const state = list.reduce(applicationDecider.evolve, applicationDecider.initialState());
  if (!state.exists) throw new Error('the events create no application');
  return state;
};
const entries = (list: ApplicationEvent[]): HistoryEntry[] =>
  list.map((e, i) => ({
    position: i + 1,
    revision: i,
    type: e.type,
    occurredAt: '2026-03-02T00:00:00Z',
    actor: { sub: e.type.startsWith('Expert') ? 'e-1' : 'officer', role: 'officer' },
    data: e.data,
    hash: `h${i}`,
  }));

describe('blind review: each role its own view of an application', () => {
  it('given a running panel, when the enterprise looks, then it sees no panel, score or expert', () => {
    const state = fold(events);
    const view = enterpriseView({ applicationId: 'a1', revision: 5, state }, policy('experts-and-scores'));
    expect(view).not.toHaveProperty('panel');
    expect(view).not.toHaveProperty('panelScores');
    expect(JSON.stringify(view)).not.toMatch(/e-1|e-2/);
    expect(fullView({ applicationId: 'a1', revision: 5, state }).panel).toHaveLength(2);
  });

  it('given a running panel, when the enterprise reads the history, then no panel event shows', () => {
    const state = fold(events);
    const history = enterpriseHistory(entries(events), state, policy('experts-and-scores'));
    expect(history.map((e) => e.type)).toEqual([
      'ApplicationCreated',
      'ApplicationSubmitted',
      'ApplicationRecommended',
      'ApplicationAcceptedForExpertReview',
    ]);
  });

  it('given a material attached and one removed, when the enterprise reads the history, then it sees both', () => {
    const attached: ApplicationEvent = {
      type: 'MaterialAttached',
      data: {
        materialId: 'm1',
        kind: 'business-licence',
        fileName: '营业执照.pdf',
        mediaType: 'application/pdf',
        size: 1024,
        sha256: 'a'.repeat(64),
      },
    };
    const removed = { type: 'MaterialRemoved', data: { materialId: 'm1' } } as ApplicationEvent;
    const list = [events[0], attached, removed, events[1]];
    const history = enterpriseHistory(entries(list), fold(list), policy('experts-and-scores'));
    expect(history.map((e) => e.type)).toEqual([
      'ApplicationCreated',
      'MaterialAttached',
      'MaterialRemoved',
      'ApplicationSubmitted',
    ]);
  });

  it('given a concluded panel, when the enterprise reads the history, then it sees the mean, not the scores', () => {
    const all = [...events, secondScore, concluded];
    const history = enterpriseHistory(entries(all), fold(all), policy('experts-and-scores'));
    const last = history[history.length - 1];
    expect(last).toMatchObject({ type: 'ExpertReviewConcluded', redacted: true });
    expect(last.data).toEqual({ mean: '85', required: '> 70', passed: true, next: null });
    expect(JSON.stringify(history)).not.toMatch(/e-1|e-2/);
    expect(enterpriseView({ applicationId: 'a1', revision: 6, state: fold(all) }, policy())).toMatchObject({
      score: '85',
      result: { passed: true },
    });
  });

  it('given a final application and a policy that discloses scores, then scores show without names', () => {
    const all = [...events, secondScore, concluded, rejected];
    const state = fold(all);
    const history = enterpriseHistory(entries(all), state, policy('scores'));
    expect(history.find((e) => e.type === 'ExpertScoreSubmitted')?.data).toEqual({ score: 80 });
    expect(history.find((e) => e.type === 'ExpertReviewConcluded')?.data).toMatchObject({ scores: [80, 90] });
    expect(JSON.stringify(history)).not.toMatch(/e-1|e-2|好/);
    expect(enterpriseView({ applicationId: 'a1', revision: 7, state }, policy('scores'))).toMatchObject({
      panelScores: [{ score: 80 }, { score: 90 }],
    });
    // Disclosing everything shows the panel's events as they are.
    const open = enterpriseHistory(entries(all), state, policy('experts-and-scores'));
    expect(open.map((e) => e.type)).toContain('ExpertPanelDrawn');
    // Disclosing nothing keeps them hidden even at the end.
    expect(enterpriseHistory(entries(all), state, policy('none')).map((e) => e.type)).not.toContain(
      'ExpertScoreSubmitted',
    );
  });

  it("given an expert on the panel, then it sees only the policy's fields: no founding date, revenue or identity", () => {
    const view = expertView({ applicationId: 'a1', revision: 5, state: fold(events) }, 'e-1', policy());
    expect(Object.keys(view.data).sort()).toEqual(['employees', 'financials', 'ipRights']);
    expect((view.data.financials as object[])[0]).toEqual({
      year: expect.any(Number),
      rdExpense: expect.any(Number),
    });
    const text = JSON.stringify(view);
    expect(text).not.toMatch(/2019-05-20|8,200,000|8200000|91320214|"revenue"|creditCode/);
    expect(view.eligibility?.checks[0]).toEqual({ rule: 'age', passed: true, hard: true });
    expect(view.seat).toEqual({ dueOn: '2026-04-01', scored: true, score: 80, declaration: null });
  });

  it('picks nested fields through arrays and ignores paths the data lacks', () => {
    expect(pickFields({ a: [{ x: 1, y: 2 }], b: { c: 3, d: 4 } }, ['a.x', 'b.c', 'z', 'b.q'])).toEqual({
      a: [{ x: 1 }],
      b: { c: 3 },
    });
    expect(pickFields({ a: 1 }, [])).toEqual({});
  });
});
