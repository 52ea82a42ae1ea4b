import type { DomainEvent } from '../shared/domain-event';

export interface RoundOpenedData {
  roundId: string;
  programme: string;
  year: number;
  batch: number;
  title: string;
  /** Issuing jurisdiction (dotted path): its officers run the city stages of the round. */
  jurisdiction: string;
  opensAt: string;
  closesAt: string;
  quota: number | null;
  /** The policy version in force when the round was created: every application is judged by it. */
  policyVersion: string;
}

/** Persisted event types of the round stream (`round-<id>`). Never rename. */
export type RoundEvent =
  | DomainEvent<'RoundCreated', RoundOpenedData>
  | DomainEvent<'RoundClosed', { closedAt: string; reason: string }>;

export const roundStream = (roundId: string) => `round-${roundId}`;
