import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  KurrentDBClient,
  type CurrentStreamState,
  type ReadPosition,
  START,
} from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../../event-store.errors';
import { findRetry, planResult } from '../../append-plan';
import type {
  AppendRequest,
  AppendResult,
  EventStoreBackend,
  KnownEvent,
  PreparedEvent,
  RawStoredEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  StreamTail,
} from '../../event-store.port';
import {
  actualRevisionOf,
  buildStoredMetadata,
  isInvalidPositionError,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  matchesFilter,
  parseStoredMetadata,
  positionOf,
  positionToNumber,
  recordedAtMillis,
  revisionToNumber,
  serverFilterFor,
  toEventData,
  toKnownEvent,
  toRawStoredEvent,
  toReadPosition,
  toStoreError,
  toStreamState,
} from './kurrentdb-mapping';

interface CommonOptions {
  /** The store's clock, for recordedAt. */
  now: () => Date;
  /**
   * How many of a stream's most recent events an append scans for its own event ids to
   * recognise a retry. Default 1000. See {@link KurrentDbEventStore} (idempotency).
   */
  idempotencyWindow?: number;
  /** How often an append with `any` re-reads the stream head after losing a race. Default 100. */
  maxAppendAttempts?: number;
  /** How long `ping` waits for the server. Default 5000 ms. */
  pingTimeoutMs?: number;
}

export type KurrentDbEventStoreOptions = CommonOptions &
  (
    | {
        /** e.g. `kurrentdb://localhost:2113?tls=false`. The store creates, owns and disposes the client. */
        connectionString: string;
        client?: undefined;
      }
    | {
        connectionString?: string;
        /** A client owned by the caller: used as is, never disposed by `close()`. */
        client: KurrentDBClient;
      }
  );

const DEFAULT_IDEMPOTENCY_WINDOW = 1000;
const HEAD_CHUNK = 100;
const MAX_READ_LIMIT = 10_000;
const KNOWN_POSITIONS = 50_000;

/**
 * The event store on KurrentDB, with the same semantics as the SQLite adapter.
 *
 * **Revisions and the hash chain.** KurrentDB checks expected revisions atomically but cannot
 * compute our hash, which chains each event to its stream's previous hash. So an append reads
 * the stream's last event (backwards, newest first; StreamNotFound means genesis), computes the
 * hashes for the revisions that follow it, and appends with that EXACT expected revision (never
 * `any`): if anyone wrote in between, the server refuses the write and nothing is stored with a
 * hash computed on a stale head. A caller's `'any'` is honoured by re-reading and retrying; a
 * caller's revision or `'no-stream'` that does not match what we read fails without a write,
 * and a lost race fails with the actual revision the server reports (-1 for no stream).
 *
 * **Idempotency.** The server's own duplicate detection is not relied on: it only applies when
 * the retry carries the original expected revision, and best-effort otherwise. Instead, before
 * writing (and again after losing a race) the append scans the stream backwards over a bounded
 * window ({@link CommonOptions.idempotencyWindow}, default the last 1000 events) for its own
 * event ids: all found, contiguous, in order, with the same type and canonical data -> the first
 * append's result, nothing written; only some, or other content -> IdempotencyConflictError.
 * Limits, unlike SQLite's unique index over the whole store: a retry arriving after more than
 * `window` later events in the stream is not recognised and is written again; and an event id
 * reused in ANOTHER stream is not detected (KurrentDB has no index by event id). Cost: an
 * append reads up to `window` events of its stream (data included) unless it finds its ids
 * sooner; short streams, the engine's usual case, are read whole.
 *
 * **Positions.** A position is the event's `$all` commit position (a byte offset in the log;
 * equal to its prepare position, since every gRPC append is an implicit transaction). They are
 * strictly increasing and far from contiguous. KurrentDB reads `$all` from a position
 * INCLUSIVELY and only from a position where a record starts, while the port's `after` is
 * exclusive and may be any number (a checkpoint minus one, say). So a read starts at `after`
 * itself when it is known to be an event's position (seen by this process, or checked with a
 * one-event probe) and skips that event; otherwise it starts at the greatest known position
 * below `after` (or the start of the log) and skips everything up to `after`.
 *
 * **System events** ($-prefixed types such as links, or $-prefixed streams) are never returned
 * and do not count for `headPosition`.
 *
 * **As-of reads** compare `until` with the `recordedAt` this adapter stamped from `now()` into
 * the metadata (the server's own commit time is used only for events without one).
 *
 * **Requirements.** KurrentDB (or EventStoreDB >= 22.6, for positions on stream reads); read
 * access to `$all`. Streams must never be deleted or truncated ($maxCount, $maxAge, $tb) by
 * other tools: revisions and the chain assume a stream starts at 0 and keeps every event (an
 * append that lands at other revisions than hashed is reported, and the verifier names it).
 */
export class KurrentDbEventStore implements EventStoreBackend {
  readonly name = 'kurrentdb';
  private readonly client: KurrentDBClient;
  private readonly ownsClient: boolean;
  private readonly now: () => Date;
  private readonly window: number;
  private readonly maxAppendAttempts: number;
  private readonly pingTimeoutMs: number;
  private readonly listeners = new Set<() => void>();
  private readonly positions = new KnownPositions(KNOWN_POSITIONS);
  private closed = false;

  constructor(options: KurrentDbEventStoreOptions) {
    this.now = options.now;
    this.window = Math.max(1, options.idempotencyWindow ?? DEFAULT_IDEMPOTENCY_WINDOW);
    this.maxAppendAttempts = Math.max(1, options.maxAppendAttempts ?? 100);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else {
      try {
        this.client = KurrentDBClient.connectionString(options.connectionString);
      } catch (error) {
        // The client's message may quote the connection string, credentials included.
        throw new EventStoreUnavailableError('the KurrentDB connection string is not valid', {
          cause: error,
        });
      }
      this.ownsClient = true;
    }
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    this.assertOpen();
    try {
      const result = await this.appendChained(request);
      for (const listener of this.listeners) listener();
      return result;
    } catch (error) {
      throw toStoreError(error, `append to ${request.stream}`);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions): Promise<RawStoredEvent[]> {
    this.assertOpen();
    const from = Math.max(0, Math.ceil(finiteOr(options.fromRevision, 0)));
    const to = Math.floor(finiteOr(options.toRevision, Number.MAX_SAFE_INTEGER));
    if (to < from) return [];
    const until = options.until === undefined ? undefined : Date.parse(options.until);
    const events: RawStoredEvent[] = [];
    try {
      const read = this.client.readStream(stream, {
        direction: FORWARDS,
        fromRevision: BigInt(from),
        maxCount: to === Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : to - from + 1,
      });
      for await (const resolved of read) {
        if (!resolved.event) continue;
        // Not a stop condition: clocks of several writers need not be monotonic within a stream.
        if (until !== undefined && recordedAtMillis(resolved) > until) continue;
        const event = toRawStoredEvent(resolved);
        this.positions.add(event.position);
        events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw toStoreError(error, `read of ${stream}`);
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage & { events: RawStoredEvent[] }> {
    this.assertOpen();
    const after =
      options.after !== undefined && Number.isFinite(options.after) ? Math.max(0, options.after) : 0;
    const limit = Math.max(1, Math.min(options.limit, MAX_READ_LIMIT));
    try {
      // The head is read BEFORE the page: every event at or below it was visible to the page's
      // read, so jumping `next` to it never skips an event committed in between.
      const head = await this.readHead();
      if (after >= head) return { events: [], next: after, isEnd: true };
      let start = await this.startFor(after);
      try {
        return await this.readPage(after, limit, head, start, options.filter);
      } catch (error) {
        // A remembered position that stopped being a record start (a scavenge): start over.
        if (start === START || !isInvalidPositionError(error)) throw error;
        this.positions.clear();
        start = START;
        return await this.readPage(after, limit, head, start, options.filter);
      }
    } catch (error) {
      throw toStoreError(error, 'read of $all');
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    try {
      return await this.readHead();
    } catch (error) {
      throw toStoreError(error, 'read of the head position');
    }
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    let timer: NodeJS.Timeout | undefined;
    const read = (async () => {
      for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }))
        break;
    })();
    read.catch(() => undefined); // settled below, or abandoned after the timeout
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new EventStoreUnavailableError(`KurrentDB did not answer within ${this.pingTimeoutMs} ms`)),
        this.pingTimeoutMs,
      );
    });
    try {
      await Promise.race([read, timeout]);
    } catch (error) {
      throw toStoreError(error, 'ping');
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    if (!this.ownsClient) return;
    try {
      await this.client.dispose();
    } catch (error) {
      throw toStoreError(error, 'close');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Append
  // -------------------------------------------------------------------------------------------

  /**
   * Reads the stream's tail, lets the port decide, writes the planned events on the condition
   * that the stream is still at the head read; on a lost race re-reads, for `any` decides again.
   */
  private async appendChained(request: AppendRequest): Promise<AppendResult> {
    const { stream, events, expected } = request;
    for (let attempt = 1; ; attempt++) {
      const plan = request.plan(await this.readTail(stream, events), this.now().toISOString());
      if (plan.rows.length === 0) return planResult(plan); // a retry of an append already stored
      const actual = plan.rows[0].revision - 1;
      const data = plan.rows.map((row, index) =>
        toEventData(events[index], buildStoredMetadata(events[index], index, row.recordedAt, row.hash)),
      );
      let lost: { actualState?: CurrentStreamState };
      try {
        const result = await this.client.appendToStream(stream, data, { streamState: toStreamState(actual) });
        if (result.success) {
          const nextRevision = plan.nextRevision;
          if (revisionToNumber(result.nextExpectedRevision) !== nextRevision) {
            throw new EventStoreUnavailableError(
              `stream ${stream}: the server stored the events up to revision ${result.nextExpectedRevision}, ` +
                `not ${nextRevision} as hashed; the stream was deleted or truncated outside the engine`,
            );
          }
          const position = result.position
            ? positionToNumber(result.position.commit)
            : await this.positionOfRevision(stream, nextRevision);
          this.positions.add(position);
          return { nextRevision, position };
        }
        lost = {}; // a client configured with throwOnAppendFailure=false: actual unknown, re-read below
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
        lost = error;
      }

      // Someone appended between our read and our write: perhaps this very append, sent twice.
      if (expected !== 'any') {
        const again = await this.readTail(stream, events);
        const concurrentCopy = findRetry(stream, events, again.known);
        if (concurrentCopy)
          return { nextRevision: concurrentCopy.revision, position: concurrentCopy.position! };
        const actualNow =
          lost.actualState !== undefined ? actualRevisionOf(lost.actualState) : (again.head?.revision ?? -1);
        throw new WrongExpectedRevisionError(stream, expected, actualNow);
      }
      if (attempt >= this.maxAppendAttempts) {
        throw new EventStoreUnavailableError(
          `stream ${stream}: gave up after losing ${attempt} races for the head; the stream is too contended`,
        );
      }
    }
  }

  /**
   * The stream's last event (revision and hash) and, within the idempotency window, the stored
   * events whose ids are among the append's. Stops early once all ids are found.
   */
  private async readTail(stream: string, events: PreparedEvent[]): Promise<StreamTail> {
    const ids = new Set(events.map((event) => event.id));
    const found = new Map<string, KnownEvent>();
    let head: { revision: number; hash: string } | undefined;
    try {
      const read = this.client.readStream(stream, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: Math.max(this.window, events.length),
      });
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event) continue;
        head ??= {
          revision: revisionToNumber(event.revision),
          hash: parseStoredMetadata(event.metadata).hash,
        };
        const id = event.id.toLowerCase();
        if (ids.has(id)) {
          found.set(id, toKnownEvent(toRawStoredEvent(resolved)));
          if (found.size === ids.size) break;
        }
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return { head, known: found };
  }

  /** Fallback for a server that answers an append without its position. */
  private async positionOfRevision(stream: string, revision: number): Promise<number> {
    for await (const resolved of this.client.readStream(stream, {
      fromRevision: BigInt(revision),
      maxCount: 1,
    })) {
      return positionOf(resolved);
    }
    throw new EventStoreUnavailableError(
      `stream ${stream}: revision ${revision} is not readable after its append`,
    );
  }

  // -------------------------------------------------------------------------------------------
  // $all
  // -------------------------------------------------------------------------------------------

  /** Position of the last non-system event, 0 when there is none. */
  private async readHead(): Promise<number> {
    let from: ReadPosition = END;
    let below = Number.POSITIVE_INFINITY;
    for (;;) {
      let received = 0;
      const read = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: from,
        maxCount: HEAD_CHUNK,
        filter: excludeSystemEvents(),
      });
      for await (const resolved of read) {
        received++;
        const position = positionOf(resolved);
        if (position >= below) continue;
        below = position;
        if (!isSystemEvent(resolved)) {
          this.positions.add(position);
          return position;
        }
      }
      // Only user-typed events in $-streams (projection results...) in this chunk: look further back.
      if (received < HEAD_CHUNK || below === Number.POSITIVE_INFINITY) return 0;
      from = toReadPosition(below); // backwards reads are exclusive of their start
    }
  }

  /** Where a read for events after `after` can start: `after` itself if it is a record start. */
  private async startFor(after: number): Promise<ReadPosition> {
    if (after <= 0) return START;
    if (this.positions.has(after) || (await this.isEventPosition(after))) {
      this.positions.add(after);
      return toReadPosition(after);
    }
    const below = this.positions.greatestBelow(after);
    return below === undefined ? START : toReadPosition(below);
  }

  /** A one-event probe: does an event (of any kind) start exactly at `position`? */
  private async isEventPosition(position: number): Promise<boolean> {
    if (!Number.isSafeInteger(position)) return false;
    try {
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: toReadPosition(position),
        maxCount: 1,
      });
      for await (const resolved of read) return positionOf(resolved) === position;
      return false;
    } catch (error) {
      if (isInvalidPositionError(error)) return false;
      throw error;
    }
  }

  /**
   * Reads forwards from `start` (inclusive, at or before `after`) in chunks until `limit`
   * events after `after` pass the filter or the log ends. `next` and `isEnd` as SQLite: a full
   * page ends at its last event; a short page reached the end, so `next` is the head (or the
   * last event looked at, if later).
   */
  private async readPage(
    after: number,
    limit: number,
    head: number,
    start: ReadPosition,
    filter: ReadAllOptions['filter'],
  ): Promise<ReadAllPage & { events: RawStoredEvent[] }> {
    const serverFilter = serverFilterFor(filter);
    const events: RawStoredEvent[] = [];
    let from = start;
    let floor = after; // skip everything at or below: `after` itself, or what a fallback start re-reads
    let lastSeen = after;
    for (;;) {
      const want = limit - events.length + 1; // +1: the inclusive start event
      let received = 0;
      let lastRead: number | undefined;
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: from,
        maxCount: want,
        filter: serverFilter,
      });
      for await (const resolved of read) {
        received++;
        const position = positionOf(resolved);
        lastRead = position;
        if (position <= floor) continue;
        floor = position;
        lastSeen = position;
        this.positions.add(position);
        if (isSystemEvent(resolved)) continue;
        const event = toRawStoredEvent(resolved);
        if (!matchesFilter(event, filter)) continue;
        events.push(event);
        if (events.length === limit) break;
      }
      if (events.length === limit) {
        const last = events[events.length - 1].position;
        return { events, next: last, isEnd: last >= head };
      }
      if (received < want || lastRead === undefined) {
        return { events, next: Math.max(after, head, lastSeen), isEnd: true };
      }
      from = toReadPosition(lastRead);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
  }
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

/**
 * Positions this process has seen as the start of an event: a read may start at them without a
 * probe. Bounded; the oldest entries are forgotten first. Positions never move (our events are
 * never deleted), and a stale one is handled by the caller (restart from the log's start).
 */
class KnownPositions {
  private readonly positions = new Set<number>();

  constructor(private readonly max: number) {}

  add(position: number): void {
    if (this.positions.has(position)) return;
    this.positions.add(position);
    if (this.positions.size > this.max) {
      const oldest = this.positions.values().next().value as number;
      this.positions.delete(oldest);
    }
  }

  has(position: number): boolean {
    return this.positions.has(position);
  }

  clear(): void {
    this.positions.clear();
  }

  /** The greatest known position strictly below `position`. */
  greatestBelow(position: number): number | undefined {
    let best: number | undefined;
    for (const known of this.positions) {
      if (known < position && (best === undefined || known > best)) best = known;
    }
    return best;
  }
}
