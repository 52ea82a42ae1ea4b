import { DeciderSpecification } from '../../testing/decider-specification';
import { roundDecider, type RoundCommand } from './round.decider';
import type { ListEntry, RoundEvent, RoundOpenedData } from './round.events';

const spec = DeciderSpecification.for(roundDecider);
const round: RoundOpenedData = {
  roundId: 'r-1',
  programme: 'eaglet',
  year: 2026,
  batch: 1,
  title: '2026年度无锡市雏鹰企业第一批申报',
  jurisdiction: 'js.wuxi',
  opensAt: '2026-03-01T00:00:00.000Z',
  closesAt: '2026-04-01T00:00:00.000Z',
  quota: null,
  policyVersion: 'eaglet/wuxi-2024',
};
const at = (iso: string) => new Date(iso);
const entry: ListEntry = { applicationId: 'a-1', creditCode: '913', name: '无锡雏鹰', score: '80' };
const created: RoundEvent = { type: 'RoundCreated', data: round };
const closed: RoundEvent = {
  type: 'RoundClosed',
  data: { closedAt: '2026-03-20T00:00:00.000Z', reason: '满' },
};
const publicity: RoundEvent = {
  type: 'PublicityStarted',
  data: {
    startsOn: '2026-04-10',
    endsOn: '2026-04-16',
    workingDays: 5,
    provisional: false,
    proposed: [entry],
  },
};
const objection = {
  objectionId: 'r-1.1',
  applicationId: 'a-1',
  objector: {} as never,
  grounds: '数据不实',
  evidence: [],
  raisedOn: '2026-04-12',
};
const raised: RoundEvent = { type: 'ObjectionRaised', data: objection };
const resolved: RoundEvent = {
  type: 'ObjectionResolved',
  data: { objectionId: 'r-1.1', applicationId: 'a-1', upheld: false, reason: '不成立' },
};
const finalize: RoundCommand = { type: 'FinalizeRound', today: '2026-04-20', outcome: 'admit' };
const finalized: RoundEvent = {
  type: 'RoundFinalized',
  data: { admitted: [entry], removed: [], finalizedOn: '2026-04-20', outcome: 'admit' },
};
const notice = {
  documentNumber: '锡工信〔2026〕1号',
  issuer: '无锡市工业和信息化局',
  issuedOn: '2026-04-21',
};

describe('round decider: given events, when a command, then events or a refusal', () => {
  it('creates a round, and closes it', () => {
    spec
      .given([])
      .when({ type: 'CreateRound', data: round, now: at('2026-02-01T00:00:00Z') })
      .then([created]);
    spec
      .given([created])
      .when({ type: 'CloseRound', now: at('2026-03-20T00:00:00Z'), reason: '满' })
      .then([closed]);
  });

  it.each<[string, RoundEvent[], RoundCommand]>([
    ['ROUND_EXISTS', [created], { type: 'CreateRound', data: round, now: at('2026-02-01T00:00:00Z') }],
    [
      'WINDOW_INVALID',
      [],
      { type: 'CreateRound', data: { ...round, closesAt: round.opensAt }, now: at('2026-02-01T00:00:00Z') },
    ],
    [
      'WINDOW_IMPLAUSIBLE',
      [],
      {
        type: 'CreateRound',
        data: { ...round, closesAt: '9999-01-01T00:00:00Z' },
        now: at('2026-02-01T00:00:00Z'),
      },
    ],
    ['WINDOW_IN_PAST', [], { type: 'CreateRound', data: round, now: at('2026-05-01T00:00:00Z') }],
    [
      'ROUND_CLOSED',
      [created, closed],
      { type: 'CloseRound', now: at('2026-03-21T00:00:00Z'), reason: '再' },
    ],
    [
      'ROUND_NOT_OPEN',
      [created, publicity],
      { type: 'CloseRound', now: at('2026-04-12T00:00:00Z'), reason: '再' },
    ],
    [
      'PUBLICITY_EXISTS',
      [created, publicity],
      { type: 'StartPublicity', now: at('2026-04-12T00:00:00Z'), publicity: publicity.data as never },
    ],
    [
      'ROUND_NOT_CLOSED',
      [created],
      { type: 'StartPublicity', now: at('2026-03-12T00:00:00Z'), publicity: publicity.data as never },
    ],
    [
      'NOTHING_TO_PUBLICISE',
      [created],
      {
        type: 'StartPublicity',
        now: at('2026-04-12T00:00:00Z'),
        publicity: { ...(publicity.data as object), proposed: [] } as never,
      },
    ],
    [
      'OUTSIDE_PUBLICITY',
      [created, publicity],
      { type: 'RaiseObjection', objection: { ...objection, raisedOn: '2026-04-30' } },
    ],
    [
      'NOT_ON_PROPOSED_LIST',
      [created, publicity],
      { type: 'RaiseObjection', objection: { ...objection, applicationId: 'a-2' } },
    ],
    [
      'OBJECTION_NOT_FOUND',
      [created, publicity],
      { type: 'ResolveObjection', objectionId: 'r-1.9', resolution: { upheld: false, reason: '无' } },
    ],
    [
      'OBJECTION_RESOLVED',
      [created, publicity, raised, resolved],
      { type: 'ResolveObjection', objectionId: 'r-1.1', resolution: { upheld: true, reason: '再' } },
    ],
    ['ROUND_FINALIZED', [created, publicity, finalized], finalize],
    ['NO_PUBLICITY', [created, closed], finalize],
    ['PUBLICITY_RUNNING', [created, publicity], { ...finalize, today: '2026-04-16' } as RoundCommand],
    ['OBJECTION_OPEN', [created, publicity, raised], finalize],
    ['NOT_FINALIZED', [created, publicity], { type: 'IssueAdmissionNotice', notice }],
    [
      'NOTICE_NUMBERED',
      [created, publicity, finalized, { type: 'AdmissionNoticeIssued', data: notice }],
      { type: 'IssueAdmissionNotice', notice },
    ],
  ])('refuses with %s', (code, given, command) => {
    spec.given(given).when(command).then(code);
  });

  it('raises, resolves, finalizes and numbers the notice', () => {
    spec.given([created, publicity]).when({ type: 'RaiseObjection', objection }).then([raised]);
    spec
      .given([created, publicity, raised])
      .when({
        type: 'ResolveObjection',
        objectionId: 'r-1.1',
        resolution: { upheld: false, reason: '不成立' },
      })
      .then([resolved]);
    spec.given([created, publicity, raised, resolved]).when(finalize).then([finalized]);
    spec
      .given([created, publicity, finalized])
      .when({ type: 'IssueAdmissionNotice', notice })
      .then([{ type: 'AdmissionNoticeIssued', data: notice }]);
  });

  it('recounts only an open publicity', () => {
    const change = {
      deadline: 'publicity-end' as const,
      previous: '2026-04-16',
      recomputed: '2026-04-17',
      provisional: false,
      calendar: { year: 2026, digest: 'd' },
    };
    spec
      .given([created, publicity])
      .when({ type: 'RecomputePublicityEnd', change })
      .then([{ type: 'DeadlineRecomputed', data: change }]);
    spec.given([created, publicity, finalized]).when({ type: 'RecomputePublicityEnd', change }).then([]);
  });
});
