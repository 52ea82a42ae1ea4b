/**
 * The one port through which everything in the engine reads and writes events.
 *
 * Adapters (SQLite embedded, KurrentDB, PostgreSQL) implement {@link EventStoreBackend};
 * {@link EventStore} wraps a backend with what must be identical everywhere: input checks,
 * the hash chain, upcasting on read and catch-up subscriptions. See docs/event-store.md.
 */

/** Who did it. `sub` is the token subject; `role` one of the contract's roles, or `system`. */
export interface Actor {
  sub: string;
  role: string;
}

/** Metadata supplied by the caller of `append`. */
export interface EventMetadataInput {
  correlationId: string;
  causationId: string;
  actor: Actor;
  /** When it happened in the domain (the engine's clock, which may be manual). ISO 8601 UTC. */
  occurredAt: string;
  /** The HTTP Idempotency-Key the command came with, and a digest of its request. */
  idempotencyKey?: string;
  requestHash?: string;
  /**
   * W3C Trace Context of the work that wrote the event (set by the store when tracing is on):
   * processors continue that trace when they handle the event. docs/operations.md, Tracing.
   */
  traceparent?: string;
  tracestate?: string;
}

/** Stored metadata: `recordedAt` is the store's clock at the commit, ISO 8601 UTC. */
export interface EventMetadata extends EventMetadataInput {
  recordedAt: string;
}

/** An event to append. `id` should be deterministic where a retry may repeat the append. */
export interface NewEvent<T = unknown> {
  id?: string;
  type: string;
  /** Defaults to 1. */
  schemaVersion?: number;
  data: T;
  metadata: EventMetadataInput;
}

export interface StoredEvent<T = unknown> {
  id: string;
  stream: string;
  /** 0-based revision within the stream. */
  revision: number;
  /** Position in the store's single total order; strictly increasing, not necessarily contiguous. */
  position: number;
  type: string;
  schemaVersion: number;
  data: T;
  metadata: EventMetadata;
  /** SHA-256 (hex) chaining this event to the previous one of its stream. */
  hash: string;
}

/** `no-stream`: the stream must not exist; `any`: no check; a number: the stream's last revision. */
export type ExpectedRevision = number | 'no-stream' | 'any';

export interface AppendResult {
  /** Revision of the last event appended (the expected revision for the next append). */
  nextRevision: number;
  /** Global position of the last event appended. */
  position: number;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  toRevision?: number;
  /** ISO instant: only events recorded at or before it (the stream as it stood then). */
  until?: string;
}

export interface ReadAllFilter {
  /** Only these event types. */
  types?: readonly string[];
  /** Only streams whose name starts with one of these prefixes. */
  streamPrefixes?: readonly string[];
  /** Only events whose `metadata.actor.sub` is this. */
  actor?: string;
  /** Only events recorded (`metadata.recordedAt`) at or after this instant (ISO 8601). */
  recordedFrom?: string;
  /** Only events recorded before this instant (ISO 8601). */
  recordedBefore?: string;
}

export interface ReadAllOptions {
  /** Exclusive lower bound: events with a greater position. 0 (the default) reads from the start. */
  after?: number;
  limit: number;
  filter?: ReadAllFilter;
  /**
   * Only what a projection folds (a rebuild reads every event of the store): events may come
   * with `id` and `hash` empty, with `metadata` holding `occurredAt` alone, and without the
   * events whose type is not in `types` (skipped undecoded; `next` still moves past them).
   * A backend may ignore it and return whole events: callers must accept both. Upcasters see
   * the lean event (they are handed `data` whole, and the event for its type and version).
   */
  lean?: { types?: readonly string[] };
}

export interface ReadAllPage<T = unknown> {
  events: StoredEvent<T>[];
  /**
   * The position to pass as `after` for the next page: the last position this page looked at,
   * which may be past the last event returned when a filter skipped events. Equal to `after`
   * when there is nothing more.
   */
  next: number;
  /** True when the reader reached the end of the log as it stood. */
  isEnd: boolean;
}

export interface SubscribeOptions<T = unknown> {
  /** Deliver events with a position greater than this (the subscriber's stored checkpoint). */
  after: number;
  filter?: ReadAllFilter;
  /** Handles events in order. Store the checkpoint (event.position) with its effects. */
  handler: (event: StoredEvent<T>) => Promise<void>;
  /** Events fetched per read. Default 500. */
  batchSize?: number;
  /** How often a caught-up subscription looks for events written by other processes. Default 250 ms. */
  pollIntervalMs?: number;
  /**
   * Called when the handler fails on `event`, or a read fails (`event` undefined). The same
   * work is retried after a backoff; an event is never skipped.
   */
  onError?: (error: unknown, event: StoredEvent<T> | undefined, attempt: number) => void;
  /** Backoff after a failure: base, doubling to max. Defaults 100 ms and 30 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface Subscription {
  readonly name: string;
  /** Position of the last event handled successfully. */
  readonly position: number;
  /** Resolves once the subscription has handled everything up to the head seen at call time. */
  caughtUp(): Promise<void>;
  /** Stops after the event in hand, if any. */
  stop(): Promise<void>;
}

/**
 * An event as persisted, before upcasting: what the hash covers. `dataJson` is the stored
 * text of data when the backend keeps it as text; `corrupt` says why a stored row could not
 * be decoded (the verifier reports it as a break instead of crashing).
 */
export interface RawStoredEvent extends StoredEvent<unknown> {
  dataJson?: string;
  corrupt?: string;
}

/** An event after checks, serialised and ready for a backend. */
export interface PreparedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadataInput;
  /** Canonical JSON (RFC 8785) of data, the exact text stored and hashed. */
  dataJson: string;
}

// The decision of an append, as the port hands it to an adapter (append-plan.ts decides).

/** The last event of a stream, as a cached fold checks it: its revision and id. */
export interface StreamTip {
  revision: number;
  id: string;
}

/** The last event of a stream. */
export interface StreamHead {
  revision: number;
  hash: string;
}

/** An event already stored, or planned earlier in the same batch (then `row` holds it). */
export interface KnownEvent {
  stream: string;
  revision: number;
  type: string;
  /** The stored canonical JSON of data; undefined when it cannot be told (never equal). */
  dataJson: string | undefined;
  position?: number;
  row?: PlannedRow;
}

/** What an append is decided on: the stream's head (undefined: no stream) and events found by id. */
export interface StreamTail {
  head: StreamHead | undefined;
  /** Stored (or planned) events by id; only the append's own ids are looked up. */
  known: ReadonlyMap<string, KnownEvent>;
}

/** What an event's hash covers (hash-chain.ts, computeEventHash). */
export interface HashInput {
  previousHash: string;
  id: string;
  stream: string;
  revision: number;
  type: string;
  schemaVersion: number;
  /** Canonical JSON of data, as stored. */
  dataJson: string;
  metadata: EventMetadata;
}

/** A row to store, hashed onto the stream; `position` is the adapter's to fill once written. */
export interface PlannedRow extends HashInput {
  metadataJson: string;
  recordedAt: string;
  hash: string;
  position?: number;
}

/**
 * The decision: rows to store (none when the append repeats one already stored), the revision
 * the stream reaches and the event whose position answers the caller.
 */
export interface AppendPlan {
  rows: PlannedRow[];
  nextRevision: number;
  last: KnownEvent;
}

/** One append as the port hands it to an adapter. */
export interface AppendRequest {
  stream: string;
  events: PreparedEvent[];
  expected: ExpectedRevision;
  /**
   * Decides the append on what the adapter read; throws WrongExpectedRevisionError or
   * IdempotencyConflictError. `recordedAt` is the store's clock at the write.
   */
  plan(tail: StreamTail, recordedAt: string): AppendPlan;
}

/**
 * What an adapter implements: it stores and reads. The decision of an append (the expected
 * revision, a retry found by event ids, the hash chain) is the port's: an adapter reads the
 * stream's head and the stored events with the append's ids, calls `request.plan` with them
 * and the store's clock, and writes the planned rows atomically, so that the write fails if
 * the head moved after its read (see append-plan.ts and docs/event-store.md).
 */
export interface EventStoreBackend {
  readonly name: string;
  /**
   * Whether `readAll` applies the filter's `actor`, `recordedFrom` and `recordedBefore` itself
   * (with an index). When not, {@link EventStore} strips them and filters each page it gets.
   */
  readonly filtersMetadata?: boolean;
  append(request: AppendRequest): Promise<AppendResult>;
  readStream(stream: string, options: ReadStreamOptions): Promise<RawStoredEvent[]>;
  readAll(options: ReadAllOptions): Promise<ReadAllPage & { events: RawStoredEvent[] }>;
  /**
   * Optional: the revision and id of a stream's last event (undefined: no such stream), read
   * from the index without decoding any event. Adapters without it are read with `readStream`.
   */
  streamTip?(stream: string): Promise<StreamTip | undefined>;
  /** Position of the last event in the store, 0 when empty. */
  headPosition(): Promise<number>;
  /** Resolves early when this process appends; other processes' writes are found by polling. */
  onAppended(listener: () => void): () => void;
  /** Reachability for health checks; throws when the store cannot be used. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
