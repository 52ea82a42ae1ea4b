import type { DomainEvent } from '../shared/domain-event';

/** Persisted event types of the enterprise stream (`enterprise-<creditCode>`). Never rename. */
export type EnterpriseEvent =
  | DomainEvent<
      'EnterpriseRegistered',
      {
        creditCode: string;
        name: string;
        jurisdiction: string;
        establishedOn: string;
        /**
         * The contact person `{name, email, phone}`, sealed with the personal-data vault under the
         * person's subject (docs/privacy.md); never in clear. Absent when none was given.
         */
        contact?: SealedContact;
      }
    >
  | DomainEvent<
      'EnterpriseMembershipRecorded',
      { membershipId: string; programme: string; validFrom: string }
    >
  | DomainEvent<'EnterpriseBanned', { until: string; reason: string; membershipId: string }>;

/** A sealed personal record (SealedPersonalData of @engine/platform, kept structural: the domain imports no adapter). */
export interface SealedContact {
  v: 1;
  subject: string;
  [field: string]: unknown;
}

export const enterpriseStream = (creditCode: string) => `enterprise-${creditCode}`;
