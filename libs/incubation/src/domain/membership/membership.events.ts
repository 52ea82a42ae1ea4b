import type { FinancingDecision } from '../application/application.events';
import type { DomainEvent } from '../shared/domain-event';

export const EXIT_REASONS = [
  'expired',
  'failed-review',
  'fraud',
  /** 发生重大安全（质量、环境）事故 */
  'major-accident',
  /** 严重失信行为 */
  'serious-dishonesty',
  'relocated',
  'withdrawn',
  'promoted',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/**
 * Exits that cancel the status at once and bar re-application (MIIT 2022: "a major accident,
 * serious dishonesty or fraud"), for the policy's `banYearsAfterFraud`.
 */
export const BANNING_EXIT_REASONS: readonly ExitReason[] = ['fraud', 'major-accident', 'serious-dishonesty'];
export const isBanningExit = (reason: ExitReason) => BANNING_EXIT_REASONS.includes(reason);

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
