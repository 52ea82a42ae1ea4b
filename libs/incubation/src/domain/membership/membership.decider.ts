import { conflict, ruleViolated } from '../shared/domain-error';
import { type Decider, unknownCommand } from '../shared/domain-event';
import type { ExitReason, MembershipEvent, MembershipGrantedData } from './membership.events';

export type MembershipStatus = 'active' | 'expired' | 'exited';

/** What a membership keeps whether or not it was granted yet. */
interface MembershipRecord {
  status: MembershipStatus;
  reportsFiled: number[];
  reportsMissed: number[];
  remindedYears: number[];
  /** Missing an annual report costs the right to re-review (复核). */
  lostReReviewRight: boolean;
  exit?: { reason: ExitReason; on: string; note: string | null; banUntil: string | null };
}

/** A membership is granted (with its terms and validity) exactly when it exists. */
export type MembershipState =
  | (MembershipRecord & { exists: false; granted?: undefined; validUntil?: undefined })
  | (MembershipRecord & { exists: true; granted: MembershipGrantedData; validUntil: string });

export type MembershipCommand =
  | { type: 'GrantMembership'; data: MembershipGrantedData }
  | { type: 'RenewMembership'; applicationId: string; validUntil: string }
  | { type: 'FileAnnualReport'; report: { year: number; data: Record<string, unknown>; filedOn: string } }
  | { type: 'RemindAnnualReport'; year: number; dueOn: string }
  | { type: 'MarkAnnualReportMissed'; year: number; dueOn: string; today: string }
  | { type: 'ExpireMembership'; today: string }
  | {
      type: 'ExitMembership';
      exit: { reason: ExitReason; note: string | null; on: string; banUntil: string | null };
    };

export const membershipDecider: Decider<MembershipState, MembershipCommand, MembershipEvent> = {
  decide(command, state) {
    switch (command.type) {
      case 'GrantMembership':
        return grantMembership(state, command.data);
      case 'RenewMembership':
        return renewMembership(state, command.applicationId, command.validUntil);
      case 'FileAnnualReport':
        return fileAnnualReport(state, command.report);
      case 'RemindAnnualReport':
        return remindAnnualReport(state, command.year, command.dueOn);
      case 'MarkAnnualReportMissed':
        return markAnnualReportMissed(state, command.year, command.dueOn, command.today);
      case 'ExpireMembership':
        return expireMembership(state, command.today);
      case 'ExitMembership':
        return exitMembership(state, command.exit);
      default:
        return unknownCommand(command);
    }
  },
  initialState: () => ({
    exists: false,
    status: 'active',
    reportsFiled: [],
    reportsMissed: [],
    remindedYears: [],
    lostReReviewRight: false,
  }),
  evolve(state, event) {
    switch (event.type) {
      case 'MembershipGranted':
        return {
          ...state,
          exists: true,
          status: 'active',
          granted: event.data,
          validUntil: event.data.validUntil,
        };
      case 'MembershipRenewed':
        // A renewal follows the grant on its stream.
        if (!state.exists) return state;
        return { ...state, status: 'active', validUntil: event.data.validUntil };
      case 'AnnualReportFiled':
        return { ...state, reportsFiled: [...state.reportsFiled, event.data.year] };
      case 'AnnualReportReminderSent':
        return { ...state, remindedYears: [...state.remindedYears, event.data.year] };
      case 'AnnualReportMissed':
        return {
          ...state,
          reportsMissed: [...state.reportsMissed, event.data.year],
          lostReReviewRight: true,
        };
      case 'MembershipExpired':
        return { ...state, status: 'expired' };
      case 'MembershipExited':
        return {
          ...state,
          status: 'exited',
          exit: { ...event.data },
        };
    }
  },
};

export function grantMembership(state: MembershipState, data: MembershipGrantedData): MembershipEvent[] {
  if (state.exists) return [];
  return [{ type: 'MembershipGranted', data }];
}

/** A successful re-review extends the membership. */
export function renewMembership(
  state: MembershipState,
  applicationId: string,
  validUntil: string,
): MembershipEvent[] {
  if (!state.exists) throw conflict('MEMBERSHIP_NOT_FOUND', 'no such membership');
  if (state.status === 'exited')
    throw conflict('MEMBERSHIP_EXITED', 'an exited membership cannot be renewed');
  if (validUntil <= state.validUntil) return [];
  return [{ type: 'MembershipRenewed', data: { applicationId, validUntil } }];
}

/** Whether the enterprise may apply for re-review of this membership. */
export function assertMayReReview(state: MembershipState): void {
  if (!state.exists) throw conflict('MEMBERSHIP_NOT_FOUND', 'no such membership');
  if (state.status === 'exited') throw conflict('MEMBERSHIP_EXITED', 'the membership has ended');
  if (state.lostReReviewRight) {
    throw ruleViolated(
      'RE_REVIEW_RIGHT_LOST',
      `annual data for ${state.reportsMissed.join(', ')} was not filed by its due date: the right to re-review is lost`,
    );
  }
}

export function fileAnnualReport(
  state: MembershipState,
  report: { year: number; data: Record<string, unknown>; filedOn: string },
): MembershipEvent[] {
  if (!state.exists) throw conflict('MEMBERSHIP_NOT_FOUND', 'no such membership');
  if (state.status !== 'active') throw conflict('MEMBERSHIP_NOT_ACTIVE', `the membership is ${state.status}`);
  if (!state.granted.annualReportDue) throw conflict('NO_ANNUAL_REPORT', 'this list files no annual report');
  if (state.reportsFiled.includes(report.year)) {
    throw conflict('ANNUAL_REPORT_FILED', `the ${report.year} annual report was already filed`);
  }
  return [{ type: 'AnnualReportFiled', data: report }];
}

export function remindAnnualReport(state: MembershipState, year: number, dueOn: string): MembershipEvent[] {
  if (state.status !== 'active' || state.reportsFiled.includes(year) || state.remindedYears.includes(year))
    return [];
  return [{ type: 'AnnualReportReminderSent', data: { year, dueOn } }];
}

/** After the due date: flags a missing report (nothing when filed, or the membership ended). */
export function markAnnualReportMissed(
  state: MembershipState,
  year: number,
  dueOn: string,
  today: string,
): MembershipEvent[] {
  if (state.status !== 'active' || today <= dueOn) return [];
  if (state.reportsFiled.includes(year) || state.reportsMissed.includes(year)) return [];
  return [{ type: 'AnnualReportMissed', data: { year, dueOn } }];
}

/** Expires an active membership whose validity is over (a renewal in between keeps it). */
export function expireMembership(state: MembershipState, today: string): MembershipEvent[] {
  if (state.status !== 'active' || today <= state.validUntil!) return [];
  return [{ type: 'MembershipExpired', data: { on: today } }];
}

export function exitMembership(
  state: MembershipState,
  exit: { reason: ExitReason; note: string | null; on: string; banUntil: string | null },
): MembershipEvent[] {
  if (!state.exists) throw conflict('MEMBERSHIP_NOT_FOUND', 'no such membership');
  if (state.status === 'exited') throw conflict('MEMBERSHIP_EXITED', 'the membership has already ended');
  return [{ type: 'MembershipExited', data: exit }];
}
