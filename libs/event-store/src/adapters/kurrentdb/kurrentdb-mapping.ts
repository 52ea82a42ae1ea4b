/**
 * Pure translations between the event store port and the KurrentDB client (1.3.x): metadata,
 * revisions, positions, filters and errors. Nothing here does I/O, so every rule the adapter
 * relies on is unit-tested against the client's real types (kurrentdb-mapping.spec.ts).
 */
import {
  type AllStreamResolvedEvent,
  type CurrentStreamState,
  type EventData,
  ErrorType,
  excludeSystemEvents,
  type Filter,
  jsonEvent,
  NO_STREAM,
  type Position,
  type ResolvedEvent,
  streamNameFilter,
  eventTypeFilter,
  type StreamState,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreError,
  EventStoreUnavailableError,
  InvalidEventError,
  WrongExpectedRevisionError,
} from '../../event-store.errors';
import type {
  EventMetadata,
  ExpectedRevision,
  KnownEvent,
  PreparedEvent,
  RawStoredEvent,
  ReadAllFilter,
} from '../../event-store.port';
import { canonicalJson } from '../../hash-chain';

/** Either kind of event the client yields: from a stream read or from a `$all` read. */
export type KurrentResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;

/**
 * What the adapter writes as the event's metadata JSON: the caller's metadata, the store's
 * `recordedAt`, our `schemaVersion` and chain `hash`, and KurrentDB's own `$correlationId` /
 * `$causationId` so that the server's `$by_correlation_id` projection works natively.
 */
export interface KurrentEventMetadata extends EventMetadata {
  schemaVersion: number;
  hash: string;
  $correlationId: string;
  $causationId: string;
}

/** Keys the adapter adds to the stored metadata; a caller's metadata may not use them. */
export const RESERVED_METADATA_KEYS = ['schemaVersion', 'hash', '$correlationId', '$causationId'] as const;

const HASH_PATTERN = /^[0-9a-f]{64}$/;

// ---------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------

/**
 * The metadata object stored with an event. `metadata` (caller's input + recordedAt) is exactly
 * what the hash covers, and exactly what {@link parseStoredMetadata} gives back.
 */
export function buildStoredMetadata(
  event: PreparedEvent,
  index: number,
  recordedAt: string,
  hash: string,
): KurrentEventMetadata {
  for (const key of RESERVED_METADATA_KEYS) {
    if (Object.prototype.hasOwnProperty.call(event.metadata, key)) {
      throw new InvalidEventError(
        `event ${index}: metadata.${key} is reserved by the KurrentDB adapter`,
        index,
        `metadata.${key}`,
      );
    }
  }
  return {
    ...hashedMetadata(event, recordedAt),
    schemaVersion: event.schemaVersion,
    hash,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
  };
}

/** The metadata the hash covers: the caller's metadata with the store's `recordedAt` (as SQLite). */
export function hashedMetadata(event: PreparedEvent, recordedAt: string): EventMetadata {
  return { ...event.metadata, recordedAt };
}

/** The client's EventData for one prepared event: a JSON event whose id is our (lower-case) uuid. */
export function toEventData(event: PreparedEvent, metadata: KurrentEventMetadata): EventData {
  // `data` may be any JSON value; the client serialises it with JSON.stringify. Key order may
  // differ from the canonical text, which is why reads recompute canonical JSON for the hash.
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: metadata as unknown as Record<string, unknown>,
  });
}

export type ParsedMetadata =
  | { ok: true; metadata: EventMetadata; schemaVersion: number; hash: string }
  | { ok: false; reason: string; metadata: EventMetadata; schemaVersion: number; hash: string };

/**
 * Reads our metadata back. Anything that is not what {@link buildStoredMetadata} wrote (no
 * hash, no recordedAt, not JSON, written by another tool) comes back with a reason, so that the
 * verifier reports the event as unreadable instead of crashing.
 */
export function parseStoredMetadata(raw: unknown): ParsedMetadata {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) {
    const what =
      raw === undefined
        ? 'no metadata'
        : raw instanceof Uint8Array
          ? 'metadata that is not JSON'
          : 'metadata that is not an object';
    return {
      ok: false,
      reason: `the event has ${what}`,
      metadata: {} as EventMetadata,
      schemaVersion: 1,
      hash: '',
    };
  }
  const stored = raw as Record<string, unknown>;
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (!(RESERVED_METADATA_KEYS as readonly string[]).includes(key)) metadata[key] = value;
  }
  const problems: string[] = [];
  const hash = typeof stored.hash === 'string' && HASH_PATTERN.test(stored.hash) ? stored.hash : '';
  if (!hash) problems.push('hash');
  if (typeof stored.recordedAt !== 'string' || Number.isNaN(Date.parse(stored.recordedAt)))
    problems.push('recordedAt');
  const schemaVersion =
    typeof stored.schemaVersion === 'number' &&
    Number.isSafeInteger(stored.schemaVersion) &&
    stored.schemaVersion >= 1
      ? stored.schemaVersion
      : undefined;
  if (schemaVersion === undefined) problems.push('schemaVersion');
  for (const key of ['correlationId', 'causationId', 'occurredAt'] as const) {
    if (typeof stored[key] !== 'string') problems.push(key);
  }
  const actor = stored.actor as { sub?: unknown; role?: unknown } | null | undefined;
  if (
    !actor ||
    typeof actor !== 'object' ||
    typeof actor.sub !== 'string' ||
    typeof actor.role !== 'string'
  ) {
    problems.push('actor');
  }
  const result = { metadata: metadata as unknown as EventMetadata, schemaVersion: schemaVersion ?? 1, hash };
  if (problems.length > 0)
    return { ok: false, reason: `the event's metadata lacks a valid ${problems.join(', ')}`, ...result };
  return { ok: true, ...result };
}

// ---------------------------------------------------------------------------------------------
// Revisions and positions
// ---------------------------------------------------------------------------------------------

/** A stream revision from the client (bigint) as a port revision (number). */
export function revisionToNumber(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EventStoreUnavailableError(
      `stream revision ${revision} is outside the range the port can represent`,
    );
  }
  return Number(revision);
}

/** The exact expected state to send for a stream whose last revision we read (-1: no stream). */
export function toStreamState(lastRevision: number): StreamState {
  return lastRevision < 0 ? NO_STREAM : BigInt(lastRevision);
}

/** The actual revision the port reports for the client's current stream state (-1: no stream). */
export function actualRevisionOf(state: CurrentStreamState | undefined): number {
  if (typeof state !== 'bigint' || state < 0n) return -1;
  return revisionToNumber(state);
}

/**
 * A `$all` commit position as a JS number. Positions are byte offsets in the transaction log;
 * above 2^53 (8 PiB of log) a number cannot hold them exactly, and we refuse rather than round.
 */
export function positionToNumber(commit: bigint): number {
  if (commit < 0n || commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EventStoreUnavailableError(
      `$all position ${commit} exceeds Number.MAX_SAFE_INTEGER; this adapter cannot represent it`,
    );
  }
  return Number(commit);
}

/**
 * A port position as a client read position. Every event written through the gRPC API is its
 * own implicit transaction record, so its commit and prepare positions are equal.
 */
export function toReadPosition(position: number): Position {
  const value = BigInt(Math.max(0, Math.floor(position)));
  return { commit: value, prepare: value };
}

/** The `$all` commit position of a resolved event (stream reads carry it too, server >= 22.6). */
export function positionOf(resolved: KurrentResolvedEvent): number {
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new EventStoreUnavailableError(
      'the server did not return the $all position of an event (KurrentDB >= 22.6 is required)',
    );
  }
  return positionToNumber(commit);
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** KurrentDB's own events ($-prefixed types such as `$>` links, or $-prefixed streams): never ours. */
export function isSystemEvent(resolved: KurrentResolvedEvent): boolean {
  const event = resolved.event;
  if (!event) return true;
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/**
 * A resolved event as the port's raw event. Events that were not written by this adapter (no
 * hash or recordedAt in the metadata, binary data) are returned with `corrupt` set.
 */
export function toRawStoredEvent(resolved: KurrentResolvedEvent): RawStoredEvent {
  const event = resolved.event;
  if (!event)
    throw new EventStoreUnavailableError(
      'the server returned an unresolved link where an event was expected',
    );
  const parsed = parseStoredMetadata(event.metadata);
  const raw: RawStoredEvent = {
    id: event.id.toLowerCase(),
    stream: event.streamId,
    revision: revisionToNumber(event.revision),
    position: positionOf(resolved),
    type: event.type,
    schemaVersion: parsed.schemaVersion,
    data: event.data,
    metadata: parsed.metadata,
    hash: parsed.hash,
  };
  if (!event.isJson) {
    raw.data = null;
    raw.corrupt = 'the event data is not JSON';
  } else if (!parsed.ok) {
    raw.corrupt = parsed.reason;
  }
  return raw;
}

/**
 * When the event was recorded, for as-of reads: our `recordedAt`, or the server's own commit
 * time for an event whose metadata we cannot read (so an as-of view never shows later events).
 */
export function recordedAtMillis(resolved: KurrentResolvedEvent): number {
  const metadata = resolved.event?.metadata as { recordedAt?: unknown } | undefined;
  const recordedAt = metadata && typeof metadata === 'object' ? metadata.recordedAt : undefined;
  const millis = typeof recordedAt === 'string' ? Date.parse(recordedAt) : Number.NaN;
  if (!Number.isNaN(millis)) return millis;
  return resolved.event?.created.getTime() ?? Number.POSITIVE_INFINITY;
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

/**
 * The filter the server applies. KurrentDB filters on one dimension only (stream name or event
 * type), so the server takes the more selective, more common one and {@link matchesFilter}
 * applies the whole filter again on the client:
 * - stream prefixes (a projection or process manager follows a category) -> server;
 * - otherwise event types, as exact-name prefixes (no regex dialect to escape), made exact on
 *   the client;
 * - otherwise the server drops system events ($-types) so they do not cross the wire.
 */
export function serverFilterFor(filter: ReadAllFilter | undefined): Filter {
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.types?.length) return eventTypeFilter({ prefixes: [...filter.types] });
  return excludeSystemEvents();
}

/** The port's filter, exactly: the type is one of `types` and the stream starts with a prefix. */
export function matchesFilter(
  event: { type: string; stream: string },
  filter: ReadAllFilter | undefined,
): boolean {
  if (filter?.types?.length && !filter.types.includes(event.type)) return false;
  if (
    filter?.streamPrefixes?.length &&
    !filter.streamPrefixes.some((prefix) => event.stream.startsWith(prefix))
  ) {
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------

/**
 * A stored event as the port's retry lookup compares it (append-plan.ts): its data as canonical
 * JSON, recomputed from what the client parsed, since KurrentDB keeps the client's own text.
 */
export function toKnownEvent(stored: RawStoredEvent): KnownEvent {
  let dataJson: string | undefined;
  try {
    dataJson = stored.dataJson ?? canonicalJson(stored.data);
  } catch {
    dataJson = undefined; // never equal to an append's data: a conflict, as before
  }
  return {
    stream: stored.stream,
    revision: stored.revision,
    type: stored.type,
    dataJson,
    position: stored.position,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** The server refused an append because the stream was not at the expected revision. */
export function isWrongExpectedVersion(error: unknown): error is { actualState?: CurrentStreamState } {
  return errorType(error) === ErrorType.WRONG_EXPECTED_VERSION;
}

/** The stream does not exist (never written, or soft-deleted). */
export function isStreamNotFound(error: unknown): boolean {
  const type = errorType(error);
  return type === ErrorType.STREAM_NOT_FOUND || type === ErrorType.NO_STREAM;
}

/**
 * A `$all` read refused its start position: the server answers a position that is not the
 * start of a record with an unknown error (or, on old servers, a not-found / invalid argument).
 * Transport failures, timeouts and access problems are not this, and must not be masked.
 */
export function isInvalidPositionError(error: unknown): boolean {
  const type = errorType(error);
  return type === ErrorType.UNKNOWN || type === ErrorType.INVALID_ARGUMENT || type === ErrorType.NOT_FOUND;
}

/** A WrongExpectedVersion answer (a lost race) as the port's error, with the server's actual revision. */
export function toWrongExpectedRevision(
  error: { actualState?: CurrentStreamState },
  stream: string,
  expected: ExpectedRevision,
): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(stream, expected, actualRevisionOf(error.actualState));
}

/**
 * Any failure as one of the port's errors: ours pass through; size refusals are bad input;
 * everything else (unreachable, timeout, not leader, access denied, deleted stream, bridge
 * errors...) is EventStoreUnavailableError with the client's error as `cause`.
 */
export function toStoreError(error: unknown, action: string): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const type = errorType(error);
  const message = error instanceof Error ? error.message : String(error);
  switch (type) {
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
    case ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED:
    case ErrorType.APPEND_RECORD_SIZE_EXCEEDED: {
      const max =
        (error as { maxAppendSize?: number; maxSize?: number }).maxAppendSize ??
        (error as { maxSize?: number }).maxSize;
      return new InvalidEventError(
        `the append exceeds the KurrentDB server's size limit${max ? ` of ${max} bytes` : ''}`,
        -1,
        'events',
      );
    }
    default:
      return new EventStoreUnavailableError(`KurrentDB ${action} failed (${type ?? 'error'}): ${message}`, {
        cause: error,
      });
  }
}
