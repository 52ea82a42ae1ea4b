/**
 * TEST DOUBLE: an in-memory stand-in for the part of KurrentDBClient the adapter uses, so that
 * the adapter's own logic (chaining, races, retries, paging, position probes) can be tested on
 * a machine without a server. It encodes the server behaviour the adapter relies on, which the
 * live conformance run (KURRENTDB_URL) is there to confirm:
 * - an append checks the expected state exactly and answers WrongExpectedVersionError with the
 *   current revision; its position is the commit position of its last event;
 * - every event has its own position (commit = prepare), byte offsets far from contiguous;
 * - `$all` forwards reads start INCLUSIVELY at a position, backwards reads EXCLUSIVELY, and a
 *   position that is not the start of a record is refused (UnknownError, as the server's
 *   "invalid position" surfaces through the client);
 * - a stream read of a missing stream throws StreamNotFoundError;
 * - the server writes its own events: `$>` links into `$ce-<category>` after every event, and
 *   occasionally a user-typed event into a `$projections-...` stream.
 * Reads see the log as it stood when they started. Every call yields to the event loop first,
 * so concurrent callers interleave as they would over the network.
 */
import { randomUUID } from 'node:crypto';
import {
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendToStreamOptions,
  BACKWARDS,
  type EventData,
  type Filter,
  type KurrentDBClient,
  NO_STREAM,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  START,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';

interface LogRecord {
  position: bigint;
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  /** The bytes the client sent (JSON text), parsed again on every read as the client does. */
  data: string;
  metadata: string | undefined;
  created: Date;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class InMemoryKurrentDB {
  readonly log: LogRecord[] = [];
  private readonly streams = new Map<string, bigint>();
  private nextPosition = 4096n; // the log starts with the server's epoch record
  private userWrites = 0;
  /** Calls the adapter made, for assertions: [method, first argument, options]. */
  readonly calls: [string, unknown, unknown][] = [];
  /** Makes the next calls of a method fail with this error (consumed one per call). */
  readonly failures = new Map<string, unknown[]>();
  /** Runs before an append is checked: lets a test slip another writer in (a race). Runs once. */
  beforeAppend?: (stream: string) => Promise<void> | void;
  disposed = false;

  constructor() {
    this.write('$stats-127.0.0.1:2113', '$statsCollected', { cpu: 1 });
  }

  /** Appends as the server does for a client write (no checks), plus the server's own events. */
  write(
    streamId: string,
    type: string,
    data: unknown,
    metadata?: unknown,
    id: string = randomUUID(),
  ): LogRecord {
    const revision = (this.streams.get(streamId) ?? -1n) + 1n;
    const record: LogRecord = {
      position: this.nextPosition,
      streamId,
      id,
      type,
      revision,
      data: JSON.stringify(data),
      metadata: metadata === undefined ? undefined : JSON.stringify(metadata),
      created: new Date(),
    };
    this.nextPosition +=
      128n + BigInt(Buffer.byteLength(record.data) + Buffer.byteLength(record.metadata ?? ''));
    this.streams.set(streamId, revision);
    this.log.push(record);
    return record;
  }

  private serverEventsAfter(record: LogRecord): void {
    if (record.streamId.startsWith('$')) return;
    const category = record.streamId.split('-')[0];
    this.write(`$ce-${category}`, '$>', `${record.revision}@${record.streamId}`);
    if (++this.userWrites % 7 === 0)
      this.write('$projections-dashboard-result', 'Result', { count: this.userWrites });
  }

  client(): KurrentDBClient {
    const client = {
      appendToStream: (stream: string, events: EventData | EventData[], options?: AppendToStreamOptions) =>
        this.appendToStream(stream, events, options),
      readStream: (stream: string, options?: ReadStreamOptions) => this.readStream(stream, options),
      readAll: (options?: ReadAllOptions) => this.readAll(options),
      dispose: async () => {
        this.disposed = true;
      },
    };
    return client as unknown as KurrentDBClient;
  }

  private fail(method: string): void {
    if (this.disposed) throw new UnavailableError(undefined, 'client disposed');
    const queue = this.failures.get(method);
    if (queue?.length) throw queue.shift();
  }

  private async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: AppendToStreamOptions = {},
  ): Promise<AppendResult> {
    this.calls.push(['appendToStream', streamName, options]);
    await tick();
    this.fail('appendToStream');
    const intruder = this.beforeAppend;
    this.beforeAppend = undefined;
    await intruder?.(streamName);
    const state = options.streamState ?? 'any';
    const current = this.streams.get(streamName);
    const holds =
      state === 'any' ||
      (state === NO_STREAM && current === undefined) ||
      (state === 'stream_exists' && current !== undefined) ||
      (typeof state === 'bigint' && current === state);
    if (!holds) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: state,
        current: current ?? NO_STREAM,
      });
    }
    const written = (Array.isArray(events) ? events : [events]).map((event) =>
      this.write(streamName, event.type, event.data, event.metadata, event.id),
    );
    written.forEach((record) => this.serverEventsAfter(record));
    const last = written[written.length - 1];
    return {
      success: true,
      nextExpectedRevision: last.revision,
      position: { commit: last.position, prepare: last.position },
    };
  }

  private async *readStream(
    streamName: string,
    options: ReadStreamOptions = {},
  ): AsyncGenerator<ResolvedEvent> {
    this.calls.push(['readStream', streamName, options]);
    await tick();
    this.fail('readStream');
    const records = this.log.filter((record) => record.streamId === streamName);
    if (records.length === 0) throw new StreamNotFoundError(undefined, streamName);
    const from = options.fromRevision ?? START;
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const selected =
      options.direction === BACKWARDS
        ? records.filter((r) => typeof from !== 'bigint' || r.revision <= from).reverse()
        : records.filter((r) => from === START || (typeof from === 'bigint' && r.revision >= from));
    for (const record of selected.slice(0, max)) {
      await tick();
      yield toResolved(record) as ResolvedEvent;
    }
  }

  private async *readAll(options: ReadAllOptions = {}): AsyncGenerator<AllStreamResolvedEvent> {
    this.calls.push(['readAll', options.fromPosition, options]);
    await tick();
    this.fail('readAll');
    const snapshot = [...this.log];
    const end = this.nextPosition;
    const from = options.fromPosition ?? START;
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const isStart = (position: bigint) =>
      position === end || snapshot.some((record) => record.position === position);
    if (typeof from === 'object' && (from.commit !== from.prepare || !isStart(from.commit))) {
      throw new UnknownError(undefined, 'Trying to read from an invalid position.');
    }
    let selected =
      options.direction === BACKWARDS
        ? snapshot.filter((r) => typeof from !== 'object' || r.position < from.commit).reverse()
        : snapshot.filter((r) => from === START || (typeof from === 'object' && r.position >= from.commit));
    const filter = options.filter;
    if (filter) selected = selected.filter((record) => passes(filter, record));
    for (const record of selected.slice(0, max)) {
      await tick();
      yield toResolved(record);
    }
  }
}

function toResolved(record: LogRecord): AllStreamResolvedEvent {
  return {
    event: {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      isJson: true,
      created: record.created,
      data: JSON.parse(record.data),
      metadata: record.metadata === undefined ? undefined : JSON.parse(record.metadata),
      position: { commit: record.position, prepare: record.position },
    },
    commitPosition: record.position,
  };
}

function passes(filter: Filter, record: LogRecord): boolean {
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex).test(subject);
}
