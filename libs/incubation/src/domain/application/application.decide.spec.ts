import { DeciderSpecification } from '../../testing/decider-specification';
import { enterpriseDecider } from '../enterprise/enterprise.decider';
import { membershipDecider } from '../membership/membership.decider';
import type { ExpertPanelSettings, FinancingTerms, MaterialRequirement } from '../policies/policy-types';
import { roundDecider } from '../round/round.decider';
import { fold } from '../shared/domain-event';
import { type ApplicationCommand, applicationDecider } from './application.decider';
import type { ApplicationCreatedData, ApplicationEvent } from './application.events';

const spec = DeciderSpecification.for(applicationDecider);
const NOW = new Date('2026-03-15T02:00:00Z');
const TODAY = '2026-03-15';

const createdData: ApplicationCreatedData = {
  applicationId: 'a-1',
  roundId: 'r-1',
  programme: 'eaglet',
  policyVersion: 'eaglet/wuxi-2024',
  creditCode: '913',
  jurisdiction: 'js.wuxi.xinwu',
  roundJurisdiction: 'js.wuxi',
  data: {
    employees: 46,
    project: { totalInvestment: 10_000_000, fixedAssetInvestment: 8_000_000, requestedFinancing: 3_000_000 },
  },
  reReviewOf: null,
};
const created: ApplicationEvent = { type: 'ApplicationCreated', data: createdData };
const eligible = { eligible: true } as never;
const submitted: ApplicationEvent = {
  type: 'ApplicationSubmitted',
  data: {
    data: createdData.data,
    eligibility: eligible,
    policyVersion: 'eaglet/wuxi-2024',
    resubmission: false,
    firstStage: 'district',
  },
};
const returned: ApplicationEvent = {
  type: 'ApplicationReturned',
  data: { stage: 'district', reason: '补充材料', respondBy: '2026-03-20' },
};
const accepted: ApplicationEvent = {
  type: 'ApplicationAcceptedForExpertReview',
  data: { stage: 'city', reason: '通过' },
};
const drawn: ApplicationEvent = {
  type: 'ExpertPanelDrawn',
  data: {
    seed: 's',
    rules: { size: 2, minFinancial: 0, minTechnicalSharePercent: 0 },
    candidates: [],
    excluded: [],
    experts: ['e-1', 'e-2'],
    dueOn: '2026-03-20',
    provisional: false,
  },
};
const scored: ApplicationEvent = {
  type: 'ExpertScoreSubmitted',
  data: { expertId: 'e-1', score: 80, comment: null },
};
const passedToFinance: ApplicationEvent = {
  type: 'ExpertReviewConcluded',
  data: { scores: [], mean: '80', required: '> 60', passed: true, next: 'finance-bureau' },
};
const passed: ApplicationEvent = {
  type: 'ExpertReviewConcluded',
  data: { scores: [], mean: '80', required: '> 60', passed: true, next: null },
};
const settings = {
  size: 2,
  passThreshold: 60,
  comparison: '>',
  scoringWorkingDays: 5,
  poolMultiple: 2,
} as unknown as ExpertPanelSettings;
const sheet = { ...settings, scoring: { indicators: [] } } as unknown as ExpertPanelSettings;
const pool = (n: number) => ({
  candidates: Array.from({ length: n }, (_, i) => ({ id: `p-${i}`, financial: false })),
  excluded: [],
});
const due = { endsOn: '2026-03-22', provisional: false };
const terms: FinancingTerms = { maxAmount: 5_000_000, maxSharePercent: 30, ratePercent: 3, maxTermYears: 5 };
const requirement: MaterialRequirement = {
  kind: 'licence',
  label: { zh: '营业执照', en: 'Business licence' },
  required: true,
  mediaTypes: ['application/pdf'],
  visibleToExperts: false,
};
const material = {
  materialId: 'mat-1',
  kind: 'licence',
  fileName: 'licence.pdf',
  mediaType: 'application/pdf' as const,
  size: 10,
  sha256: 'x',
};
const attach = (over: object = {}): ApplicationCommand => ({
  type: 'AttachMaterial',
  material,
  requirements: [requirement],
  maxFileBytes: 100,
  maxApplicationBytes: 100,
  ...over,
});

const roundOpen = fold(roundDecider, [
  {
    type: 'RoundCreated',
    data: {
      roundId: 'r-1',
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '雏鹰',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00Z',
      closesAt: '2026-04-01T00:00:00Z',
      quota: null,
      policyVersion: 'eaglet/wuxi-2024',
    },
  },
]);
const registered = fold(enterpriseDecider, [
  {
    type: 'EnterpriseRegistered',
    data: { creditCode: '913', name: '无锡雏鹰', jurisdiction: 'js.wuxi.xinwu', establishedOn: '2020-01-01' },
  },
]);
const membershipOf = (programme: string, creditCode = '913') =>
  fold(membershipDecider, [
    {
      type: 'MembershipGranted',
      data: {
        membershipId: 'm-1',
        applicationId: 'a-0',
        roundId: 'r-0',
        creditCode,
        programme,
        policyVersion: 'eaglet/wuxi-2024',
        jurisdiction: 'js.wuxi.xinwu',
        validFrom: '2023-03-01',
        validUntil: '2026-02-28',
        annualReportDue: '04-30',
        financing: null,
      },
    },
  ]);
const create = (
  over: Partial<Extract<ApplicationCommand, { type: 'CreateApplication' }>> = {},
): ApplicationCommand => ({
  type: 'CreateApplication',
  applicationId: 'a-1',
  roundId: 'r-1',
  creditCode: '913',
  data: createdData.data,
  reReviewOf: null,
  round: roundOpen,
  enterprise: registered,
  problems: [],
  now: NOW,
  today: TODAY,
  ...over,
});
const submit = (over: object = {}): ApplicationCommand => ({
  type: 'SubmitApplication',
  withinWindow: true,
  eligibility: eligible,
  today: TODAY,
  ...over,
});
const review = (over: object = {}): ApplicationCommand => ({
  type: 'ReviewApplication',
  stage: 'district',
  decision: 'recommend',
  reason: '好',
  today: TODAY,
  ...over,
});
const draw = (over: object = {}): ApplicationCommand => ({
  type: 'DrawPanel',
  settings,
  pool: pool(4),
  seed: 'seed',
  due,
  ...over,
});
const score = (over: object = {}): ApplicationCommand => ({
  type: 'ScoreApplication',
  expertId: 'e-2',
  score: 70,
  comment: null,
  settings,
  next: null,
  ...over,
});
const finance = (over: object = {}): ApplicationCommand => ({
  type: 'RecordFinanceOpinion',
  approved: true,
  opinion: '同意',
  asked: { amount: 2_000_000 },
  terms,
  today: TODAY,
  ...over,
});
const admission = {
  membershipId: 'm-2',
  validFrom: TODAY,
  validUntil: '2029-03-14',
  renews: null,
  financing: null,
};
const atFinance = [created, submitted, accepted, drawn, passedToFinance];
const inReview = [created, submitted, accepted, drawn];

describe('application decider: given events, when a command, then events or a refusal', () => {
  it('creates a draft from the facts its handler gathered', () => {
    spec.given([]).when(create()).then([created]);
  });

  it('draws a panel of the policy size from a large enough pool', () => {
    const [event] = applicationDecider.decide(
      draw() as never,
      fold(applicationDecider, [created, submitted, accepted]),
    );
    expect(event).toMatchObject({
      type: 'ExpertPanelDrawn',
      data: { rules: { size: 2 }, dueOn: '2026-03-22' },
    });
  });

  it('records an approved financing within the cap', () => {
    const events = applicationDecider.decide(finance() as never, fold(applicationDecider, atFinance));
    expect(events).toMatchObject([
      { type: 'FinanceOpinionRecorded', data: { approved: true, financing: { amount: 2_000_000 } } },
    ]);
  });

  it.each<[string, ApplicationEvent[], ApplicationCommand]>([
    // Create: the refusals that lived in the handler, in the order the API answers them.
    ['ROUND_NOT_FOUND', [], create({ round: fold(roundDecider, []) })],
    ['ENTERPRISE_NOT_REGISTERED', [], create({ enterprise: fold(enterpriseDecider, []) })],
    ['ENTERPRISE_BANNED', [], create({ enterprise: { ...registered, bannedUntil: '2027-01-01' } })],
    ['ROUND_CLOSED', [], create({ now: new Date('2026-04-02T00:00:00Z') })],
    ['MEMBERSHIP_NOT_FOUND', [], create({ reReviewOf: 'm-1' })],
    ['MEMBERSHIP_NOT_FOUND', [], create({ reReviewOf: 'm-1', membership: membershipOf('eaglet', '914') })],
    ['WRONG_PROGRAMME', [], create({ reReviewOf: 'm-1', membership: membershipOf('gazelle') })],
    [
      'RE_REVIEW_RIGHT_LOST',
      [],
      create({ reReviewOf: 'm-1', membership: { ...membershipOf('eaglet'), lostReReviewRight: true } }),
    ],
    [
      'MEMBERSHIP_EXITED',
      [],
      create({ reReviewOf: 'm-1', membership: { ...membershipOf('eaglet'), status: 'exited' } }),
    ],
    ['VALIDATION_FAILED', [], create({ problems: [{ field: 'employees', message: 'required' }] })],
    ['APPLICATION_EXISTS', [created], create()],
    // Edit and submit.
    ['NOT_EDITABLE', [created, submitted], { type: 'UpdateApplicationData', data: {} }],
    ['NOT_SUBMITTABLE', [created, submitted], submit()],
    ['OUTSIDE_ROUND_WINDOW', [created], submit({ withinWindow: false })],
    ['RESPONSE_DEADLINE_PASSED', [created, submitted, returned], submit({ today: '2026-03-21' })],
    ['NOT_ELIGIBLE', [created], submit({ eligibility: { eligible: false } })],
    ['MATERIALS_MISSING', [created], submit({ requiredMaterials: [requirement] })],
    // Review.
    ['NOT_UNDER_REVIEW', [created], review()],
    ['WRONG_STAGE', [created, submitted], review({ stage: 'city' })],
    ['RESPOND_BY_INVALID', [created, submitted], review({ decision: 'return', respondBy: TODAY })],
    // Materials.
    ['NOT_EDITABLE', [created, submitted], attach()],
    ['MATERIAL_KIND_UNKNOWN', [created], attach({ material: { ...material, kind: 'other' } })],
    ['UNSUPPORTED_MEDIA_TYPE', [created], attach({ material: { ...material, mediaType: 'image/png' } })],
    ['FILE_TOO_LARGE', [created], attach({ maxFileBytes: 5 })],
    [
      'APPLICATION_MATERIALS_TOO_LARGE',
      [created, { type: 'MaterialAttached', data: { ...material, materialId: 'mat-0', size: 95 } }],
      attach(),
    ],
    ['MATERIAL_EXISTS', [created, { type: 'MaterialAttached', data: material }], attach()],
    ['MATERIAL_NOT_FOUND', [created], { type: 'RemoveMaterial', materialId: 'mat-9' }],
    // Expert review: the draw's refusals that lived in the handler.
    ['NO_EXPERT_PANEL', [created, submitted, accepted], draw({ settings: undefined })],
    ['PANEL_TOO_SMALL', [created, submitted, accepted], draw({ size: 1 })],
    ['EXPERT_POOL_TOO_SMALL', [created, submitted, accepted], draw({ pool: pool(3) })],
    ['NOT_IN_EXPERT_REVIEW', [created, submitted], draw()],
    ['PANEL_EXISTS', inReview, draw()],
    ['NO_EXPERT_PANEL', inReview, score({ settings: undefined })],
    ['NOT_ON_PANEL', inReview, score({ expertId: 'e-9' })],
    ['NOT_IN_EXPERT_REVIEW', [...inReview, passed], score()],
    ['ALREADY_SCORED', [...inReview, scored], score({ expertId: 'e-1' })],
    ['NO_SCORING_SHEET', inReview, score({ indicators: [] })],
    ['SCORE_INVALID', inReview, score({ score: 101 })],
    ['DECLARATION_REQUIRED', inReview, score({ settings: sheet, score: undefined })],
    [
      'CONFLICT_DECLARED',
      [
        ...inReview,
        { type: 'ExpertConflictDeclared', data: { expertId: 'e-2', conflict: true, reason: '同事' } },
      ],
      score({ settings: sheet, score: undefined }),
    ],
    [
      'SCORE_COMPUTED',
      [
        ...inReview,
        { type: 'ExpertConflictDeclared', data: { expertId: 'e-2', conflict: false, reason: null } },
      ],
      score({ settings: sheet }),
    ],
    ['NOT_ON_PANEL', inReview, { type: 'DeclareConflict', expertId: 'e-9', conflict: false, reason: null }],
    [
      'ALREADY_SCORED',
      [...inReview, scored],
      { type: 'DeclareConflict', expertId: 'e-1', conflict: false, reason: null },
    ],
    [
      'ALREADY_DECLARED',
      [
        ...inReview,
        { type: 'ExpertConflictDeclared', data: { expertId: 'e-2', conflict: false, reason: null } },
      ],
      { type: 'DeclareConflict', expertId: 'e-2', conflict: false, reason: null },
    ],
    ['REASON_REQUIRED', inReview, { type: 'DeclareConflict', expertId: 'e-2', conflict: true, reason: ' ' }],
    [
      'NO_EXPERT_PANEL',
      inReview,
      {
        type: 'ReplaceExpert',
        expertId: 'e-1',
        reason: 'overdue',
        today: '2026-03-21',
        settings: undefined,
        pool: [],
        seed: 's',
      },
    ],
    [
      'EXPERT_POOL_EXHAUSTED',
      inReview,
      {
        type: 'ReplaceExpert',
        expertId: 'e-1',
        reason: 'overdue',
        today: '2026-03-21',
        settings,
        pool: [],
        seed: 's',
        due,
      },
    ],
    [
      'EXPERT_NOT_OVERDUE',
      inReview,
      {
        type: 'ReplaceExpert',
        expertId: 'e-1',
        reason: 'overdue',
        today: '2026-03-19',
        settings,
        pool: [],
        seed: 's',
        due,
        requestedBy: 'officer',
      },
    ],
    // The finance opinion: the cap and terms that lived in the handler.
    ['NO_FINANCING', atFinance, finance({ terms: undefined })],
    ['VALIDATION_FAILED', atFinance, finance({ asked: {} })],
    ['PROJECT_INCOMPLETE', [{ type: 'ApplicationCreated', data: { ...createdData, data: {} } }], finance()],
    ['FINANCING_OVER_CAP', atFinance, finance({ asked: { amount: 3_000_001 } })],
    [
      'FINANCING_OVER_REQUEST',
      atFinance,
      finance({ terms: { ...terms, maxSharePercent: 50 }, asked: { amount: 4_000_000 } }),
    ],
    ['TERM_TOO_LONG', atFinance, finance({ asked: { amount: 1_000_000, termYears: 6 } })],
    ['RATE_NOT_POLICY', atFinance, finance({ asked: { amount: 1_000_000, ratePercent: 4 } })],
    ['NOT_AWAITING_FINANCE', [...inReview, passed], finance({ approved: false })],
    // Admission and the ministry.
    ['NOT_ADMISSIBLE', [created], { type: 'Admit', admission }],
    [
      'NOT_NATIONAL',
      [created],
      {
        type: 'RecordNationalDecision',
        decision: { decision: 'recognized', documentNumber: '工信部〔2026〕1号' },
        admission,
      },
    ],
    [
      'NOT_AWAITING_MINISTRY',
      [{ type: 'ApplicationCreated', data: { ...createdData, programme: 'little-giant' } }],
      {
        type: 'RecordNationalDecision',
        decision: { decision: 'recognized', documentNumber: '工信部〔2026〕1号' },
        admission,
      },
    ],
  ])('refuses with %s', (code, given, command) => {
    spec.given(given).when(command).then(code);
  });
});
