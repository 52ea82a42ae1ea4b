import type { StoredEvent } from '@engine/event-store';
import type { SagaAction } from '@engine/workflow/sagas/saga';
const DEFAULT_EXPERT = 'e-1';
import { deadlinesSaga, RESPONSE_DEADLINE } from './deadlines.saga';
import { EXPERT_OVERDUE, EXPERT_REMINDER, expertReviewSaga } from './expert-review.saga';
import {
  ANNUAL_REPORT_DUE,
  ANNUAL_REPORT_REMINDER,
  annualDueDates,
  MEMBERSHIP_EXPIRY,
  membershipsSaga,
} from './memberships.saga';
import { PUBLICITY_END, publicitySaga } from './publicity.saga';

const APP = '5f0c3a1e-8d2b-4c71-9a06-2e4b7d1c9f30';
const ROUND = '0b9e2d71-4a3c-4f58-8e1d-7c6a5b4d3e21';
const MEMBERSHIP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const context = {
  actor: { sub: 'saga:test', role: 'system' },
  correlationId: 'c',
  causationId: 'e',
  idempotencyKey: 'k',
  requestHash: 'h',
};

let position = 0;
function event(stream: string, type: string, data: unknown): StoredEvent {
  position++;
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    stream,
    revision: 0,
    position,
    type,
    schemaVersion: 1,
    data,
    metadata: { ...context, occurredAt: '2026-03-02T00:00:00Z', recordedAt: '2026-03-02T00:00:00Z' },
    hash: '',
    previousHash: '',
  } as unknown as StoredEvent;
}

/** What an action amounts to, comparable: the command's class and fields, or the timer. */
function describe_(action: SagaAction) {
  switch (action.kind) {
    case 'command': {
      const command = action.command(context) as object;
      const { context: _ignored, ...fields } = command as Record<string, unknown>;
      return { command: command.constructor.name, step: action.step, ...fields };
    }
    case 'schedule':
      return { schedule: action.timer.purpose, key: action.timer.key, dueAt: action.timer.dueAt };
    case 'cancel':
      return { cancel: action.purpose, key: action.key };
  }
}
const react = (saga: { react(e: StoredEvent): SagaAction[] }, e: StoredEvent) => saga.react(e).map(describe_);
const fired = (purpose: string, payload: Record<string, unknown>) =>
  event('timer-x', 'TimerFired', {
    timerId: 'x',
    purpose,
    dueAt: '',
    payload,
    firedAt: '',
    firedBy: 'sweep',
  });

describe('deadlines saga', () => {
  it('schedules the end of the response day, cancels on resubmission, withdraws when it fires', () => {
    const returned = event(`application-${APP}`, 'ApplicationReturned', {
      stage: 'district',
      reason: 'r',
      respondBy: '2026-03-10',
    });
    expect(react(deadlinesSaga, returned)).toEqual([
      { schedule: RESPONSE_DEADLINE, key: `${APP}/district/2026-03-10`, dueAt: '2026-03-10T16:00:00.000Z' },
    ]);
    const resubmitted = event(`application-${APP}`, 'ApplicationSubmitted', {
      resubmission: true,
      answers: { stage: 'district', respondBy: '2026-03-10' },
    });
    expect(react(deadlinesSaga, resubmitted)).toEqual([
      { cancel: RESPONSE_DEADLINE, key: `${APP}/district/2026-03-10` },
    ]);
    expect(
      react(deadlinesSaga, event(`application-${APP}`, 'ApplicationSubmitted', { resubmission: false })),
    ).toEqual([]);
    expect(react(deadlinesSaga, fired(RESPONSE_DEADLINE, { applicationId: APP }))).toEqual([
      { command: 'WithdrawForMissedDeadlineCommand', step: 'withdraw', applicationId: APP },
    ]);
    expect(react(deadlinesSaga, fired('something-else', {}))).toEqual([]);
  });

  it('reacts the same way to the same event every time (what makes redelivery harmless)', () => {
    const returned = event(`application-${APP}`, 'ApplicationReturned', {
      stage: 'city',
      reason: 'r',
      respondBy: '2026-04-01',
    });
    expect(react(deadlinesSaga, returned)).toEqual(react(deadlinesSaga, returned));
  });
});

describe('expert-review saga', () => {
  it('gives every drawn expert a reminder a working day before the due date and an overdue timer after it', () => {
    const drawn = event(`application-${APP}`, 'ExpertPanelDrawn', {
      experts: [DEFAULT_EXPERT, 'e-2'],
      dueOn: '2026-03-19',
    });
    expect(react(expertReviewSaga, drawn)).toEqual([
      {
        schedule: EXPERT_REMINDER,
        key: `${APP}/${DEFAULT_EXPERT}/2026-03-19`,
        dueAt: '2026-03-17T16:00:00.000Z',
      },
      {
        schedule: EXPERT_OVERDUE,
        key: `${APP}/${DEFAULT_EXPERT}/2026-03-19`,
        dueAt: '2026-03-19T16:00:00.000Z',
      },
      { schedule: EXPERT_REMINDER, key: `${APP}/e-2/2026-03-19`, dueAt: '2026-03-17T16:00:00.000Z' },
      { schedule: EXPERT_OVERDUE, key: `${APP}/e-2/2026-03-19`, dueAt: '2026-03-19T16:00:00.000Z' },
    ]);
  });

  it('reminds when the reminder fires and replaces when the overdue timer fires', () => {
    expect(react(expertReviewSaga, fired(EXPERT_REMINDER, { applicationId: APP, expertId: 'e-2' }))).toEqual([
      { command: 'RemindExpertCommand', step: 'remind', applicationId: APP, expertId: 'e-2' },
    ]);
    expect(react(expertReviewSaga, fired(EXPERT_OVERDUE, { applicationId: APP, expertId: 'e-2' }))).toEqual([
      { command: 'ReplaceOverdueExpertCommand', step: 'replace', applicationId: APP, expertId: 'e-2' },
    ]);
  });
});

describe('publicity saga', () => {
  const proposed = [
    { applicationId: 'a-1', creditCode: 'c1', name: 'n1', score: '80' },
    { applicationId: 'a-2', creditCode: 'c2', name: 'n2', score: '75' },
  ];

  it('puts every listed application in publicity and sets the end of the period', () => {
    const started = event(`round-${ROUND}`, 'PublicityStarted', {
      startsOn: '2026-04-30',
      endsOn: '2026-05-19',
      workingDays: 10,
      proposed,
    });
    expect(react(publicitySaga, started)).toEqual([
      expect.objectContaining({ command: 'PubliciseApplicationCommand', applicationId: 'a-1' }),
      expect.objectContaining({ command: 'PubliciseApplicationCommand', applicationId: 'a-2' }),
      { schedule: PUBLICITY_END, key: `${ROUND}/2026-05-19`, dueAt: '2026-05-19T16:00:00.000Z' },
    ]);
  });

  it('rejects on an upheld objection, and asks to finalize after every resolution', () => {
    const upheld = event(`round-${ROUND}`, 'ObjectionResolved', {
      objectionId: 'o',
      applicationId: 'a-2',
      upheld: true,
      reason: '属实',
    });
    expect(react(publicitySaga, upheld)).toEqual([
      expect.objectContaining({
        command: 'RejectApplicationCommand',
        applicationId: 'a-2',
        stage: 'publicity',
      }),
      expect.objectContaining({ command: 'FinalizeRoundCommand', roundId: ROUND }),
    ]);
    const dismissed = event(`round-${ROUND}`, 'ObjectionResolved', {
      objectionId: 'o',
      applicationId: 'a-2',
      upheld: false,
      reason: '不属实',
    });
    expect(react(publicitySaga, dismissed)).toEqual([
      expect.objectContaining({ command: 'FinalizeRoundCommand' }),
    ]);
    expect(react(publicitySaga, fired(PUBLICITY_END, { roundId: ROUND }))).toEqual([
      expect.objectContaining({ command: 'FinalizeRoundCommand', roundId: ROUND }),
    ]);
  });

  it('admits the final list, or forwards it to the ministry', () => {
    const admitted = event(`round-${ROUND}`, 'RoundFinalized', {
      admitted: proposed,
      removed: [],
      finalizedOn: '2026-05-20',
      outcome: 'admit',
    });
    expect(react(publicitySaga, admitted).map((a) => (a as { command: string }).command)).toEqual([
      'AdmitApplicationCommand',
      'AdmitApplicationCommand',
    ]);
    const forwarded = event(`round-${ROUND}`, 'RoundFinalized', {
      admitted: proposed,
      removed: [],
      finalizedOn: '2026-05-20',
      outcome: 'forward',
    });
    expect(react(publicitySaga, forwarded).map((a) => (a as { command: string }).command)).toEqual([
      'ForwardToMinistryCommand',
      'ForwardToMinistryCommand',
    ]);
  });
});

describe('memberships saga', () => {
  it('counts the annual due dates inside the validity', () => {
    expect(annualDueDates('2026-05-20', '2029-05-19', '05-31')).toEqual([
      { year: 2026, dueOn: '2027-05-31' },
      { year: 2027, dueOn: '2028-05-31' },
    ]);
    // A one-year entry admitted in March ends before the next April due date: no report.
    expect(annualDueDates('2026-03-01', '2027-02-28', '04-30')).toEqual([]);
    expect(annualDueDates('2026-06-01', '2029-05-31', '04-30')).toEqual([
      { year: 2026, dueOn: '2027-04-30' },
      // 30 April 2028 is a Sunday and 1-2 May are holidays: due on the next working day.
      { year: 2027, dueOn: '2028-05-03' },
      { year: 2028, dueOn: '2029-04-30' },
    ]);
  });

  it('moves an annual due date that falls on a day off to the next working day', () => {
    // 31 May 2026 is a Sunday: the 2025 data is due on Monday 1 June 2026.
    expect(annualDueDates('2025-05-20', '2026-12-31', '05-31')).toEqual([
      { year: 2025, dueOn: '2026-06-01' },
    ]);
  });

  it('schedules reminders, due dates and expiry, and asks for promotion', () => {
    const granted = event(`membership-${MEMBERSHIP}`, 'MembershipGranted', {
      membershipId: MEMBERSHIP,
      creditCode: 'c1',
      programme: 'gazelle',
      validFrom: '2026-05-20',
      validUntil: '2029-05-19',
      annualReportDue: '05-31',
    });
    expect(react(membershipsSaga, granted)).toEqual([
      { schedule: ANNUAL_REPORT_REMINDER, key: `${MEMBERSHIP}/2026`, dueAt: '2027-04-30T16:00:00.000Z' },
      { schedule: ANNUAL_REPORT_DUE, key: `${MEMBERSHIP}/2026`, dueAt: '2027-05-31T16:00:00.000Z' },
      { schedule: ANNUAL_REPORT_REMINDER, key: `${MEMBERSHIP}/2027`, dueAt: '2028-04-30T16:00:00.000Z' },
      { schedule: ANNUAL_REPORT_DUE, key: `${MEMBERSHIP}/2027`, dueAt: '2028-05-31T16:00:00.000Z' },
      { schedule: MEMBERSHIP_EXPIRY, key: `${MEMBERSHIP}/2029-05-19`, dueAt: '2029-05-19T16:00:00.000Z' },
      expect.objectContaining({
        command: 'PromoteMembershipsCommand',
        creditCode: 'c1',
        programme: 'gazelle',
      }),
    ]);
  });

  it.each(['major-accident', 'serious-dishonesty'])('bans after an exit for %s, as for fraud', (reason) => {
    const exited = event(`membership-${MEMBERSHIP}`, 'MembershipExited', {
      reason,
      note: null,
      on: '2026-06-01',
      banUntil: '2029-06-01',
    });
    expect(react(membershipsSaga, exited)).toEqual([
      expect.objectContaining({ command: 'BanEnterpriseCommand', membershipId: MEMBERSHIP }),
    ]);
  });

  it('bans after an exit for fraud, not for a move', () => {
    const fraud = event(`membership-${MEMBERSHIP}`, 'MembershipExited', {
      reason: 'fraud',
      note: null,
      on: '2026-06-01',
      banUntil: '2029-06-01',
    });
    expect(react(membershipsSaga, fraud)).toEqual([
      expect.objectContaining({ command: 'BanEnterpriseCommand', membershipId: MEMBERSHIP }),
    ]);
    const moved = event(`membership-${MEMBERSHIP}`, 'MembershipExited', {
      reason: 'relocated',
      note: null,
      on: '2026-06-01',
      banUntil: null,
    });
    expect(react(membershipsSaga, moved)).toEqual([]);
  });

  it('grants the membership of an admitted application', () => {
    expect(
      react(
        membershipsSaga,
        event(`application-${APP}`, 'ApplicationAdmitted', { membershipId: MEMBERSHIP }),
      ),
    ).toEqual([{ command: 'GrantMembershipCommand', step: 'grant', applicationId: APP }]);
  });
});
