import type { DomainEvent } from '../shared/domain-event';

/**
 * A support fund (专项资金) as a bureau administers it: a budget from a named source, issued by
 * a jurisdiction for a year, allocated to admitted enterprises (a membership of one of the
 * lists) or to service platforms by name, and paid out against each allocation with the
 * document that approved the payment. Amounts are whole yuan (as `FinancingDecision`).
 *
 * The Weihai high-tech zone's page: 5,950,000 yuan of central SME development funds =
 * 4,150,000 for two key "little giant" enterprises + 1,800,000 for one public service
 * demonstration platform.
 */
export interface FundEstablishedData {
  fundId: string;
  /** e.g. 2026年中小企业发展专项资金（专精特新"小巨人"企业奖补）. */
  name: string;
  /** Yuan. */
  budget: number;
  /** e.g. 中央财政中小企业发展专项资金. */
  source: string;
  /** The issuing jurisdiction: allocations go to memberships at or below it. */
  jurisdiction: string;
  year: number;
  /** The programmes whose memberships it may support (e.g. ['little-giant']); empty: any. */
  programmes: string[];
  establishedOn: string;
}

/** Who an allocation goes to. */
export type AllocationRecipient =
  /** An admitted enterprise: its membership of a list, as it stood when allocated. */
  | { kind: 'membership'; membershipId: string; creditCode: string; programme: string; jurisdiction: string }
  /** A public service demonstration platform (公共服务示范平台), by its name. */
  | { kind: 'platform'; name: string };

export interface AllocationMadeData {
  allocationId: string;
  recipient: AllocationRecipient;
  /** Yuan. */
  amount: number;
  /** e.g. 专精特新"小巨人"企业奖补. */
  purpose: string;
  allocatedOn: string;
}

export interface PaymentRecordedData {
  paymentId: string;
  allocationId: string;
  /** Yuan. */
  amount: number;
  /** The number of the document that approved the payment (e.g. 威高财字〔2026〕12号). */
  documentNumber: string;
  paidOn: string;
}

/** Persisted event types of a fund stream (`fund-<id>`). Never rename. */
export type FundEvent =
  | DomainEvent<'FundEstablished', FundEstablishedData>
  | DomainEvent<'AllocationMade', AllocationMadeData>
  | DomainEvent<'PaymentRecorded', PaymentRecordedData>;

export const FUND_EVENT_TYPES = ['FundEstablished', 'AllocationMade', 'PaymentRecorded'] as const;

export const fundStream = (fundId: string) => `fund-${fundId}`;
