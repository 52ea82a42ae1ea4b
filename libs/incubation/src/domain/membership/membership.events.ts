import type { FinancingDecision } from '../application/application.events';
import type { DomainEvent } from '../shared/domain-event';

export const EXIT_REASONS = [
  'expired',
  'failed-review',
  'fraud',
  'relocated',
  'withdrawn',
  'promoted',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export interface MembershipGrantedData {
  membershipId: string;
  applicationId: string;
  roundId: string;
  creditCode: string;
  programme: string;
  policyVersion: string;
  jurisdiction: string;
  validFrom: string;
  validUntil: string;
  /** "MM-DD" the annual data is due each year, or null. */
  annualReportDue: string | null;
  financing: FinancingDecision | null;
}

/** Persisted event types of a membership stream (`membership-<id>`). Never rename. */
export type MembershipEvent =
  | DomainEvent<'MembershipGranted', MembershipGrantedData>
  | DomainEvent<'MembershipRenewed', { applicationId: string; validUntil: string }>
  | DomainEvent<'AnnualReportFiled', { year: number; data: Record<string, unknown>; filedOn: string }>
  | DomainEvent<'AnnualReportReminderSent', { year: number; dueOn: string }>
  | DomainEvent<'AnnualReportMissed', { year: number; dueOn: string }>
  | DomainEvent<'MembershipExpired', { on: string }>
  | DomainEvent<
      'MembershipExited',
      { reason: ExitReason; note: string | null; on: string; banUntil: string | null }
    >;

export const membershipStream = (membershipId: string) => `membership-${membershipId}`;
