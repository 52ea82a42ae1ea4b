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
  /** The eligibility verdict of its last submission (1 eligible, 0 not), null before one. */
  eligible: number | null;
  /** The expert panel's mean as shown (e.g. "≈ 70.33"), null before the review concludes. */
  score: string | null;
  /** The same score as a number, for sorting (null before the review concludes). */
  score_value: number | null;
  /** occurredAt of the event that gave it its current status. */
  status_since: string;
  /**
   * The applying enterprise's registered name (immutable once registered), so the round table
   * sorts and searches by name on an index of its own rows; null if never seen registered.
   */
  enterprise_name: string | null;
  created_at: string;
  created_position: number;
  revision: number;
  last_position: number;
}

/** The applications projection's own copy of the enterprises' names (for its rows' enterprise_name). */
export interface ApplicationEnterpriseNamesTable {
  credit_code: string;
  name: string;
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
  /** Set once publicity starts (YYYY-MM-DD). */
  publicity_starts_on: string | null;
  publicity_ends_on: string | null;
  /** Set once the round is finalized (YYYY-MM-DD). */
  finalized_on: string | null;
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

/** One row per membership. */
export interface MembershipsTable {
  membership_id: string;
  credit_code: string;
  programme: string;
  /** The enterprise's jurisdiction when admitted. */
  jurisdiction: string;
  application_id: string;
  /** `active`, `expired` or `exited`. */
  status: string;
  valid_from: string;
  valid_until: string;
  exit_reason: string | null;
  /** 1 once an annual report was missed (no re-review). */
  lost_re_review_right: number;
  revision: number;
  last_position: number;
}

/** One row per seat an expert was given on a panel. */
export interface AssignmentsTable {
  expert_id: string;
  application_id: string;
  /** Last day to score (YYYY-MM-DD). */
  due_on: string;
  /** `awaiting-score`, `scored`, `concluded` (the panel decided) or `replaced` (overdue). */
  state: string;
  score: number | null;
  assigned_at: string;
  last_position: number;
}

/** One row per durable timer (libs/workflow/src/timers). */
export interface TimersTable {
  timer_id: string;
  purpose: string;
  due_at: string;
  /** `scheduled`, `fired` or `cancelled`. */
  status: string;
  settled_at: string | null;
  revision: number;
  last_position: number;
}

/** Where an event processor (a saga, the outbox) stands. */
export interface ProcessorCheckpointsTable {
  processor: string;
  position: number;
  updated_at: string;
}

/** An event a processor gave up on after its retries; an operator retries or resolves it. */
export interface ProcessorParkedTable {
  processor: string;
  event_id: string;
  position: number;
  stream: string;
  type: string;
  attempts: number;
  error: string;
  parked_at: string;
  /** `parked` (waiting for an operator), `retry` (asked to run again) or `resolved`. */
  state: 'parked' | 'retry' | 'resolved';
  updated_at: string;
}

/**
 * The personal-data vault's key table (libs/read-models/src/personal-data): one wrapped data
 * key per data subject. Not a projection: no generation, never dropped by a rebuild, and not
 * derivable from the events (destroying a row is what "forget" means).
 */
export interface PersonalDataKeysTable {
  /** The keyed-hash subject id (reveals nothing about the person). */
  subject: string;
  /** Random id of this key; sealed values name it, so a later key never opens older seals. */
  key_id: string;
  /** The AES-256 data key, sealed under the master key: base64 of iv, ciphertext and tag. */
  wrapped_key: string;
  created_at: string;
  /** Which master key wrapped it (see masterKeyId); NULL for keys wrapped before rotation existed. */
  master_id: string | null;
}

/** The vault's own keys (today one: `subject`, the HMAC key of subject ids), wrapped like data keys. */
export interface PersonalDataVaultKeysTable {
  name: string;
  wrapped_key: string;
  master_id: string;
  created_at: string;
}

/** What remains of a forgotten subject: when and by whom, never key material. */
export interface PersonalDataTombstonesTable {
  subject: string;
  key_id: string;
  forgotten_at: string;
  forgotten_by: string;
}

/** One in-app notice (libs/notifications/src). */
export interface NotificationInboxTable {
  /** Deterministic: derived from the event id, the recipient and the channel. */
  notification_id: string;
  /** `enterprise` (id: credit code), `expert` (id: expert id) or `officers` (id: jurisdiction). */
  recipient_kind: string;
  recipient_id: string;
  event_id: string;
  event_type: string;
  /** The event's store position: the inbox's order (newest first). */
  position: number;
  rule_id: string;
  subject_zh: string;
  body_zh: string;
  subject_en: string;
  body_en: string;
  stream: string;
  occurred_at: string;
  created_at: string;
}

/** Who has read a notice (per token `sub`: officers of one jurisdiction share their notices). */
export interface NotificationReadsTable {
  notification_id: string;
  reader: string;
  read_at: string;
}

/** A webhook subscription. Deleting the row destroys the secret. */
export interface WebhooksTable {
  webhook_id: string;
  /** The enterprise it belongs to; null: an admin's subscription to every enterprise's events. */
  owner_org: string | null;
  created_by: string;
  url: string;
  /** JSON array of event types (`*`: every type its rules route to webhooks). */
  events: string;
  secret: string;
  created_at: string;
}

export interface ReadModelSchema {
  notification_inbox: NotificationInboxTable;
  notification_reads: NotificationReadsTable;
  webhooks: WebhooksTable;
  applications: ApplicationsTable;
  application_enterprise_names: ApplicationEnterpriseNamesTable;
  enterprises: EnterprisesTable;
  rounds: RoundsTable;
  timers: TimersTable;
  memberships: MembershipsTable;
  assignments: AssignmentsTable;
  timeline: TimelineTable;
  rm_checkpoints: CheckpointsTable;
  processor_checkpoints: ProcessorCheckpointsTable;
  processor_parked: ProcessorParkedTable;
  pd_keys: PersonalDataKeysTable;
  pd_tombstones: PersonalDataTombstonesTable;
  pd_vault_keys: PersonalDataVaultKeysTable;
}

/** Tables a projection owns (each reached through a view of the same name). */
export type ProjectionTableName = Exclude<
  keyof ReadModelSchema,
  | 'rm_checkpoints'
  | 'processor_checkpoints'
  | 'processor_parked'
  | 'pd_keys'
  | 'pd_tombstones'
  | 'pd_vault_keys'
  | 'notification_inbox'
  | 'notification_reads'
  | 'webhooks'
>;
