import type { DomainEvent } from '../shared/domain-event';

export interface ExpertProfile {
  id: string;
  name: string;
  /** Field of expertise. `finance` counts towards a panel's financial experts; anything else is technical. */
  field: string;
  /** Credit codes of enterprises the expert is affiliated with: never drawn for their applications. */
  affiliations: string[];
}

/** Persisted event types of the expert pool (one stream, `expert-pool`). Never rename. */
export type ExpertPoolEvent = DomainEvent<'ExpertRegistered', ExpertProfile>;

export const EXPERT_POOL_STREAM = 'expert-pool';
export const FINANCIAL_FIELD = 'finance';
