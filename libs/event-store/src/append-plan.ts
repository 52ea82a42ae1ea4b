import {
  EventStoreUnavailableError,
  IdempotencyConflictError,
  WrongExpectedRevisionError,
} from './event-store.errors';
import type {
  AppendPlan,
  AppendRequest,
  AppendResult,
  EventMetadata,
  ExpectedRevision,
  KnownEvent,
  PlannedRow,
  PreparedEvent,
  StreamHead,
  StreamTail,
} from './event-store.port';
import { computeEventHash, GENESIS_HASH } from './hash-chain';

/**
 * Deciding an append, once for every adapter: the expected-revision check, the retry lookup
 * and the hash chaining. An adapter reads what the decision needs (the stream's head and the
 * stored events with the append's ids), within whatever makes its write atomic, hands that to
 * {@link AppendRequest.plan}, and stores the rows it gets back. See docs/event-store.md.
 */

export function appendRequest(
  stream: string,
  events: PreparedEvent[],
  expected: ExpectedRevision,
): AppendRequest {
  return {
    stream,
    events,
    expected,
    plan: (tail, recordedAt) => planAppend(stream, events, expected, tail, recordedAt),
  };
}

/** Whether a stream whose last revision is `actual` (-1: none) meets the expectation. */
export function expectationHolds(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === -1;
  return expected === actual;
}

/**
 * An exact repeat of an earlier append (same ids, stream, order, type and content) is found in
 * `known` and answers with the first append's last event; ids used otherwise are a conflict;
 * undefined when none of the ids is known.
 */
export function findRetry(
  stream: string,
  events: PreparedEvent[],
  known: ReadonlyMap<string, KnownEvent>,
): KnownEvent | undefined {
  const found = events.map((event) => known.get(event.id));
  if (found.every((event) => event === undefined)) return undefined;
  const first = found[0];
  for (let i = 0; i < events.length; i++) {
    const stored = found[i];
    const event = events[i];
    if (
      !stored ||
      !first ||
      stored.stream !== stream ||
      stored.revision !== first.revision + i ||
      stored.type !== event.type ||
      stored.dataJson !== event.dataJson
    ) {
      throw new IdempotencyConflictError(stream, event.id);
    }
  }
  return found[found.length - 1];
}

/** The events hashed onto the stream's head, in order, stamped with `recordedAt`. */
export function chainRows(
  stream: string,
  events: PreparedEvent[],
  head: StreamHead | undefined,
  recordedAt: string,
): PlannedRow[] {
  if (head && !head.hash) {
    throw new EventStoreUnavailableError(
      `stream ${stream}: its last event (revision ${head.revision}) carries no hash; refusing to extend a broken chain`,
    );
  }
  let previousHash = head ? head.hash : GENESIS_HASH;
  let revision = head ? head.revision : -1;
  return events.map((event) => {
    revision++;
    const metadata: EventMetadata = { ...event.metadata, recordedAt };
    const hashed = {
      previousHash,
      id: event.id,
      stream,
      revision,
      type: event.type,
      schemaVersion: event.schemaVersion,
      dataJson: event.dataJson,
      metadata,
    };
    const hash = computeEventHash(hashed);
    const row: PlannedRow = { ...hashed, metadataJson: JSON.stringify(metadata), recordedAt, hash };
    previousHash = hash;
    return row;
  });
}

/** Retry lookup, then the expected-revision check, then the chained rows. */
export function planAppend(
  stream: string,
  events: PreparedEvent[],
  expected: ExpectedRevision,
  tail: StreamTail,
  recordedAt: string,
): AppendPlan {
  const retry = findRetry(stream, events, tail.known);
  if (retry) return { rows: [], nextRevision: retry.revision, last: retry };
  const actual = tail.head ? tail.head.revision : -1;
  if (!expectationHolds(expected, actual)) throw new WrongExpectedRevisionError(stream, expected, actual);
  const rows = chainRows(stream, events, tail.head, recordedAt);
  const lastRow = rows[rows.length - 1];
  return { rows, nextRevision: lastRow.revision, last: knownRow(lastRow) };
}

/** A planned row as a known event (its position follows once the adapter writes it). */
export function knownRow(row: PlannedRow): KnownEvent {
  return { stream: row.stream, revision: row.revision, type: row.type, dataJson: row.dataJson, row };
}

/** The caller's answer once the plan's rows are written (their positions set). */
export function planResult(plan: AppendPlan): AppendResult {
  const position = plan.last.position ?? plan.last.row?.position;
  if (position === undefined) throw new Error('append planned but its position was never set');
  return { nextRevision: plan.nextRevision, position };
}

/**
 * Several appends decided in order against one read (a group commit): each sees the rows the
 * earlier ones planned as if they were stored, as it would inside one transaction.
 */
export class BatchPlan {
  readonly heads: Map<string, StreamHead | undefined>;
  readonly known: Map<string, KnownEvent>;

  constructor(tail: { heads: Map<string, StreamHead | undefined>; known: Map<string, KnownEvent> }) {
    this.heads = new Map(tail.heads);
    this.known = new Map(tail.known);
  }

  /** Decides one append; on success its rows become part of what the next ones see. */
  plan(request: AppendRequest, recordedAt: string): AppendPlan {
    const plan = request.plan({ head: this.heads.get(request.stream), known: this.known }, recordedAt);
    if (plan.rows.length === 0) return plan;
    for (const row of plan.rows) {
      this.known.set(row.id, row.id === plan.last.row?.id ? plan.last : knownRow(row));
    }
    const last = plan.rows[plan.rows.length - 1];
    this.heads.set(request.stream, { revision: last.revision, hash: last.hash });
    return plan;
  }
}
