import type { DomainEvent } from '../shared/domain-event';

/** Persisted event types of the enterprise stream (`enterprise-<creditCode>`). Never rename. */
export type EnterpriseEvent =
  | DomainEvent<
      'EnterpriseRegistered',
      { creditCode: string; name: string; jurisdiction: string; establishedOn: string }
    >
  | DomainEvent<
      'EnterpriseMembershipRecorded',
      { membershipId: string; programme: string; validFrom: string }
    >
  | DomainEvent<'EnterpriseBanned', { until: string; reason: string; membershipId: string }>;

export const enterpriseStream = (creditCode: string) => `enterprise-${creditCode}`;
