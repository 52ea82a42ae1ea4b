import { DeciderSpecification } from '../../testing/decider-specification';
import { membershipDecider, type MembershipCommand } from './membership.decider';
import type { MembershipEvent, MembershipGrantedData } from './membership.events';

const spec = DeciderSpecification.for(membershipDecider);
const data: MembershipGrantedData = {
  membershipId: 'm-1',
  applicationId: 'a-1',
  roundId: 'r-1',
  creditCode: '913',
  programme: 'eaglet',
  policyVersion: 'eaglet/wuxi-2024',
  jurisdiction: 'js.wuxi.xinwu',
  validFrom: '2026-05-06',
  validUntil: '2029-05-05',
  annualReportDue: '04-30',
  financing: null,
};
const granted: MembershipEvent = { type: 'MembershipGranted', data };
const exit = { reason: 'withdrawn' as const, note: null, on: '2027-01-01', banUntil: null };
const exited: MembershipEvent = { type: 'MembershipExited', data: exit };
const report = { year: 2026, data: {}, filedOn: '2027-04-01' };

describe('membership decider', () => {
  it('grants once, files a report, renews, exits', () => {
    spec.given([]).when({ type: 'GrantMembership', data }).then([granted]);
    spec.given([granted]).when({ type: 'GrantMembership', data }).then([]);
    spec
      .given([granted])
      .when({ type: 'FileAnnualReport', report })
      .then([{ type: 'AnnualReportFiled', data: report }]);
    spec
      .given([granted])
      .when({ type: 'RenewMembership', applicationId: 'a-2', validUntil: '2032-05-05' })
      .then([{ type: 'MembershipRenewed', data: { applicationId: 'a-2', validUntil: '2032-05-05' } }]);
    spec.given([granted]).when({ type: 'ExitMembership', exit }).then([exited]);
    spec
      .given([granted])
      .when({ type: 'ExpireMembership', today: '2029-05-06' })
      .then([{ type: 'MembershipExpired', data: { on: '2029-05-06' } }]);
    spec
      .given([granted])
      .when({ type: 'MarkAnnualReportMissed', year: 2026, dueOn: '2027-04-30', today: '2027-05-01' })
      .then([{ type: 'AnnualReportMissed', data: { year: 2026, dueOn: '2027-04-30' } }]);
    spec
      .given([granted])
      .when({ type: 'RemindAnnualReport', year: 2026, dueOn: '2027-04-30' })
      .then([{ type: 'AnnualReportReminderSent', data: { year: 2026, dueOn: '2027-04-30' } }]);
  });

  it.each<[string, MembershipEvent[], MembershipCommand]>([
    ['MEMBERSHIP_NOT_FOUND', [], { type: 'RenewMembership', applicationId: 'a-2', validUntil: '2032-05-05' }],
    [
      'MEMBERSHIP_EXITED',
      [granted, exited],
      { type: 'RenewMembership', applicationId: 'a-2', validUntil: '2032-05-05' },
    ],
    ['MEMBERSHIP_NOT_FOUND', [], { type: 'FileAnnualReport', report }],
    ['MEMBERSHIP_NOT_ACTIVE', [granted, exited], { type: 'FileAnnualReport', report }],
    [
      'NO_ANNUAL_REPORT',
      [{ type: 'MembershipGranted', data: { ...data, annualReportDue: null } as never }],
      { type: 'FileAnnualReport', report },
    ],
    [
      'ANNUAL_REPORT_FILED',
      [granted, { type: 'AnnualReportFiled', data: report }],
      { type: 'FileAnnualReport', report },
    ],
    ['MEMBERSHIP_NOT_FOUND', [], { type: 'ExitMembership', exit }],
    ['MEMBERSHIP_EXITED', [granted, exited], { type: 'ExitMembership', exit }],
  ])('refuses with %s', (code, given, command) => {
    spec.given(given).when(command).then(code);
  });
});
