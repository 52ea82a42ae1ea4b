import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import {
  applicationDecider,
  type ApplicationStatus,
  createApplication,
  reviewApplication,
  submitApplication,
  updateApplicationData,
  withdrawForMissedDeadline,
} from './application.decider';
import type { ApplicationEvent, EligibilityRecord } from './application.events';

const explanation = {
  policyVersion: 'eaglet/wuxi-2024',
  programme: 'eaglet' as const,
  documentNumber: '锡科规〔2024〕218号',
  applicationDate: '2026-03-10',
  referenceDate: '2025-12-31',
  latestFinancialYear: 2025,
};
const eligible: EligibilityRecord = { ...explanation, eligible: true, checks: [] };
const ineligible: EligibilityRecord = {
  ...explanation,
  eligible: false,
  checks: [
    {
      rule: 'revenue-cap',
      label: { zh: '上年度营业收入不超过2000万元', en: 'prior-year revenue at most 20 million' },
      passed: false,
      hard: true,
      advisory: false,
      kind: 'compare',
      actual: '25,000,000 元',
      required: '≤ 20,000,000 元',
    },
  ],
};
const created: ApplicationEvent = {
  type: 'ApplicationCreated',
  data: {
    applicationId: 'a-1',
    roundId: 'r-1',
    programme: 'eaglet',
    policyVersion: 'eaglet/wuxi-2024',
    creditCode: '91320214MA1XYZ1234',
    jurisdiction: 'js.wuxi.xinwu',
    roundJurisdiction: 'js.wuxi',
    data: { employees: 30 },
  },
};
const submitted: ApplicationEvent = {
  type: 'ApplicationSubmitted',
  data: {
    data: { employees: 30 },
    eligibility: eligible,
    policyVersion: 'eaglet/wuxi-2024',
    resubmission: false,
    firstStage: 'district',
  },
};
const recommended: ApplicationEvent = {
  type: 'ApplicationRecommended',
  data: { stage: 'district', reason: '材料齐全' },
};
const returnedByDistrict: ApplicationEvent = {
  type: 'ApplicationReturned',
  data: {
    stage: 'district',
    reason: '补充研发费用专项审计报告',
    respondBy: '2026-06-10',
    provisional: false,
  },
};
const returnedByCity: ApplicationEvent = {
  type: 'ApplicationReturned',
  data: { stage: 'city', reason: '补充知识产权证书', respondBy: '2026-06-10' },
};
const accepted: ApplicationEvent = {
  type: 'ApplicationAcceptedForExpertReview',
  data: { stage: 'city', reason: '形式审查通过' },
};
const rejected: ApplicationEvent = {
  type: 'ApplicationRejected',
  data: { stage: 'district', reason: '不符合注册地要求' },
};
const withdrawn: ApplicationEvent = {
  type: 'ApplicationWithdrawn',
  data: { reason: 'no response by 2026-06-10' },
};

const state = (...events: ApplicationEvent[]) => fold(applicationDecider, events);
const today = '2026-06-01';
const review = (
  stage: 'district' | 'city',
  decision: 'recommend' | 'return' | 'reject',
  respondBy?: string,
) => ({
  stage,
  decision,
  reason: '审查意见',
  respondBy,
  today,
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a domain error');
}

describe('application decisions', () => {
  it('creates a draft once', () => {
    expect(createApplication(state(), created.data as never)).toEqual([created]);
    expect(state(created)).toMatchObject({ status: 'draft', data: { employees: 30 } });
    expect(refusal(() => createApplication(state(created), created.data as never)).code).toBe(
      'APPLICATION_EXISTS',
    );
  });

  it('edits data only in draft or returned', () => {
    expect(updateApplicationData(state(created), { employees: 31 })).toEqual([
      { type: 'ApplicationDataUpdated', data: { data: { employees: 31 } } },
    ]);
    expect(
      updateApplicationData(state(created, submitted, returnedByDistrict), { employees: 31 }),
    ).toHaveLength(1);
    for (const events of [
      [submitted],
      [submitted, recommended],
      [submitted, rejected],
      [submitted, recommended, accepted],
    ]) {
      expect(refusal(() => updateApplicationData(state(created, ...events), {})).kind).toBe('conflict');
    }
  });

  it("starts at the policy's first review stage: a city that skips the district stage reviews first", () => {
    const events = submitApplication(state(created), {
      withinWindow: true,
      eligibility: eligible,
      today,
      firstStage: 'city',
    });
    expect(events[0].data).toMatchObject({ firstStage: 'city' });
    expect(state(created, ...events)).toMatchObject({ status: 'submitted', awaiting: 'city' });
  });

  it('submits inside the window, pinning data, eligibility and policy version', () => {
    const events = submitApplication(state(created), { withinWindow: true, eligibility: eligible, today });
    expect(events).toEqual([submitted]);
    expect(state(created, ...events)).toMatchObject({
      status: 'submitted',
      awaiting: 'district',
      eligibility: eligible,
    });
  });

  it('refuses a submission outside the window (conflict) and an ineligible one with its explanation (rule)', () => {
    const outside = refusal(() =>
      submitApplication(state(created), { withinWindow: false, eligibility: eligible, today }),
    );
    expect(outside).toMatchObject({ kind: 'conflict', code: 'OUTSIDE_ROUND_WINDOW' });
    const notEligible = refusal(() =>
      submitApplication(state(created), { withinWindow: true, eligibility: ineligible, today }),
    );
    expect(notEligible).toMatchObject({ kind: 'rule', code: 'NOT_ELIGIBLE', details: ineligible });
  });

  it('walks district recommend then city accept into expert review', () => {
    const s1 = state(created, submitted);
    expect(reviewApplication(s1, review('district', 'recommend'))).toEqual([
      { type: 'ApplicationRecommended', data: { stage: 'district', reason: '审查意见' } },
    ]);
    const s2 = state(created, submitted, recommended);
    expect(s2).toMatchObject({ status: 'recommended', awaiting: 'city' });
    const events = reviewApplication(s2, review('city', 'recommend'));
    expect(events[0].type).toBe('ApplicationAcceptedForExpertReview');
    expect(state(created, submitted, recommended, ...events).status).toBe('in-expert-review');
  });

  it('returns with a deadline; resubmission clears it and goes back to the stage that returned it', () => {
    const s = state(created, submitted);
    expect(
      reviewApplication(s, {
        ...review('district', 'return', '2026-06-10'),
        reason: '补充研发费用专项审计报告',
      }),
    ).toEqual([returnedByDistrict]);
    const returned = state(created, submitted, returnedByDistrict);
    expect(returned).toMatchObject({ status: 'returned', returned: { respondBy: '2026-06-10' } });
    const again = submitApplication(returned, {
      withinWindow: false,
      eligibility: eligible,
      today: '2026-06-10',
    });
    expect(again[0]).toMatchObject({ type: 'ApplicationSubmitted', data: { resubmission: true } });
    const after = state(created, submitted, returnedByDistrict, ...again);
    expect(after).toMatchObject({ status: 'submitted', awaiting: 'district' });
    expect(after.returned).toBeUndefined();

    const fromCity = state(created, submitted, recommended, returnedByCity);
    const resubmitted = submitApplication(fromCity, { withinWindow: false, eligibility: eligible, today });
    expect(state(created, submitted, recommended, returnedByCity, ...resubmitted).awaiting).toBe('city');
  });

  it('refuses a return without a future deadline, and a resubmission after it', () => {
    const s = state(created, submitted);
    expect(refusal(() => reviewApplication(s, review('district', 'return'))).code).toBe('RESPOND_BY_INVALID');
    expect(refusal(() => reviewApplication(s, review('district', 'return', today))).code).toBe(
      'RESPOND_BY_INVALID',
    );
    const late = refusal(() =>
      submitApplication(state(created, submitted, returnedByDistrict), {
        withinWindow: true,
        eligibility: eligible,
        today: '2026-06-11',
      }),
    );
    expect(late.code).toBe('RESPONSE_DEADLINE_PASSED');
  });

  it('rejects with a reason that stays on the application', () => {
    const events = reviewApplication(state(created, submitted), review('district', 'reject'));
    expect(state(created, submitted, ...events)).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'district', reason: '审查意见' },
    });
  });

  it('refuses every review that does not fit the status or the stage', () => {
    const cases: [ApplicationEvent[], 'district' | 'city', ApplicationStatus | string][] = [
      [[], 'district', 'NOT_UNDER_REVIEW'], // draft
      [[submitted], 'city', 'WRONG_STAGE'],
      [[submitted, recommended], 'district', 'WRONG_STAGE'],
      [[submitted, recommended, accepted], 'city', 'NOT_UNDER_REVIEW'],
      [[submitted, rejected], 'district', 'NOT_UNDER_REVIEW'],
      [[submitted, returnedByDistrict], 'district', 'NOT_UNDER_REVIEW'],
      [[submitted, returnedByDistrict, withdrawn], 'district', 'NOT_UNDER_REVIEW'],
    ];
    for (const [events, stage, code] of cases) {
      for (const decision of ['recommend', 'return', 'reject'] as const) {
        expect(
          refusal(() => reviewApplication(state(created, ...events), review(stage, decision, '2026-07-01')))
            .code,
        ).toBe(code);
      }
    }
  });

  it('refuses to submit twice or after a final decision', () => {
    for (const events of [
      [submitted],
      [submitted, recommended],
      [submitted, rejected],
      [submitted, returnedByDistrict, withdrawn],
    ]) {
      const error = refusal(() =>
        submitApplication(state(created, ...events), { withinWindow: true, eligibility: eligible, today }),
      );
      expect(error.code).toBe('NOT_SUBMITTABLE');
    }
  });

  it('withdraws a returned application only once its deadline has passed', () => {
    const returned = state(created, submitted, returnedByDistrict);
    expect(withdrawForMissedDeadline(returned, '2026-06-10')).toEqual([]);
    expect(withdrawForMissedDeadline(returned, '2026-06-11')).toEqual([
      { type: 'ApplicationWithdrawn', data: { reason: 'no response by 2026-06-10' } },
    ]);
    expect(withdrawForMissedDeadline(state(created, submitted), '2027-01-01')).toEqual([]);
  });
});
