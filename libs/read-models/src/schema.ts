/**
 * Row types of the read-model tables as queries see them (the views named after each table;
 * docs/read-models.md). Instants are ISO 8601 UTC text, dates YYYY-MM-DD text, positions
 * numbers, so both dialects store and compare them the same way.
 */

export interface ApplicationsTable {
  application_id: string;
  programme: string;
  round_id: string;
  credit_code: string;
  /** The enterprise's jurisdiction at creation: who runs the district stage. */
  jurisdiction: string;
  /** The round's issuing jurisdiction: who runs the city stage. */
  round_jurisdiction: string;
  policy_version: string;
  status: string;
  /** The review stage it waits for: `district`, `city`, or null. */
  awaiting: string | null;
  /** Whose officers (at or above) act next: the jurisdiction for the district stage, the round's for the city stage. */
  action_jurisdiction: string | null;
  /** While returned: the stage that returned it and the response deadline (YYYY-MM-DD). */
  returned_stage: string | null;
  return_reason: string | null;
  respond_by: string | null;
  /** occurredAt of the event that gave it its current status. */
  status_since: string;
  created_at: string;
  created_position: number;
  revision: number;
  last_position: number;
}

export interface EnterprisesTable {
  credit_code: string;
  name: string;
  jurisdiction: string;
  established_on: string;
  revision: number;
  last_position: number;
}

export interface RoundsTable {
  round_id: string;
  programme: string;
  year: number;
  batch: number;
  title: string;
  jurisdiction: string;
  policy_version: string;
  opens_at: string;
  closes_at: string;
  quota: number | null;
  closed_at: string | null;
  revision: number;
  last_position: number;
}

/** One row per event of an enterprise's stream or one of its applications' streams. */
export interface TimelineTable {
  position: number;
  stream: string;
  revision: number;
  credit_code: string;
  round_id: string | null;
  /** occurredAt of the event. */
  at: string;
  type: string;
  /** JSON: what the summary is written from (timeline.projection.ts factsOf). */
  facts: string | null;
}

/** One row per generation of each projection: where it stands and whether it is served. */
export interface CheckpointsTable {
  projection: string;
  generation: number;
  /** The projection's code version that built this generation. */
  version: number;
  /** Every event up to this store position is reflected in the generation's tables. */
  position: number;
  /** `active` (served through the views), `building` (a rebuild's shadow) or `retired`. */
  state: 'active' | 'building' | 'retired';
  updated_at: string;
}

export interface ReadModelSchema {
  applications: ApplicationsTable;
  enterprises: EnterprisesTable;
  rounds: RoundsTable;
  timeline: TimelineTable;
  rm_checkpoints: CheckpointsTable;
}

/** Tables a projection owns (each reached through a view of the same name). */
export type ProjectionTableName = Exclude<keyof ReadModelSchema, 'rm_checkpoints'>;
