import { DomainError } from '../shared/domain-error';
import { fold } from '../shared/domain-event';
import {
  assertMayReReview,
  exitMembership,
  expireMembership,
  fileAnnualReport,
  markAnnualReportMissed,
  membershipDecider,
  renewMembership,
} from './membership.decider';
import type { MembershipEvent } from './membership.events';

const granted: MembershipEvent = {
  type: 'MembershipGranted',
  data: {
    membershipId: 'm-1',
    applicationId: 'a-1',
    roundId: 'r-1',
    creditCode: '91320214MA1XK0001P',
    programme: 'little-giant',
    policyVersion: 'little-giant/miit-2022',
    jurisdiction: 'sd.weihai.gaoqu',
    validFrom: '2026-05-20',
    validUntil: '2029-05-19',
    annualReportDue: '04-30',
    financing: null,
  },
};
const state = (...events: MembershipEvent[]) => fold(membershipDecider, [granted, ...events]);

describe('membership decisions', () => {
  it('renews by a re-review (extending, never shortening) and keeps it active', () => {
    expect(renewMembership(state(), 'a-2', '2032-05-19')).toEqual([
      { type: 'MembershipRenewed', data: { applicationId: 'a-2', validUntil: '2032-05-19' } },
    ]);
    expect(renewMembership(state(), 'a-2', '2029-05-19')).toEqual([]);
    const renewed = state({
      type: 'MembershipRenewed',
      data: { applicationId: 'a-2', validUntil: '2032-05-19' },
    });
    expect(expireMembership(renewed, '2029-05-20')).toEqual([]);
    expect(expireMembership(renewed, '2032-05-20')).toEqual([
      { type: 'MembershipExpired', data: { on: '2032-05-20' } },
    ]);
  });

  it('flags a report missed only after its due date and only once; the right to re-review is lost', () => {
    expect(markAnnualReportMissed(state(), 2026, '2027-04-30', '2027-04-30')).toEqual([]);
    const missed = markAnnualReportMissed(state(), 2026, '2027-04-30', '2027-05-01');
    expect(missed).toEqual([{ type: 'AnnualReportMissed', data: { year: 2026, dueOn: '2027-04-30' } }]);
    const after = state(...missed);
    expect(after.lostReReviewRight).toBe(true);
    expect(markAnnualReportMissed(after, 2026, '2027-04-30', '2027-05-02')).toEqual([]);
    expect(() => assertMayReReview(after)).toThrow('the right to re-review is lost');
    const filed = state({ type: 'AnnualReportFiled', data: { year: 2026, data: {}, filedOn: '2027-04-01' } });
    expect(markAnnualReportMissed(filed, 2026, '2027-04-30', '2027-05-01')).toEqual([]);
    expect(() => fileAnnualReport(filed, { year: 2026, data: {}, filedOn: '2027-04-02' })).toThrow(
      DomainError,
    );
  });

  it('ends once; an exited membership is neither renewed nor re-reviewed', () => {
    const exit = exitMembership(state(), {
      reason: 'relocated',
      note: null,
      on: '2027-01-01',
      banUntil: null,
    });
    const exited = state(...exit);
    expect(exited.status).toBe('exited');
    expect(() =>
      exitMembership(exited, { reason: 'fraud', note: null, on: '2027-01-02', banUntil: null }),
    ).toThrow('already ended');
    expect(() => renewMembership(exited, 'a-3', '2033-01-01')).toThrow(DomainError);
    expect(() => assertMayReReview(exited)).toThrow(DomainError);
  });
});
