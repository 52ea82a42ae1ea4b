import { createHash } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { BatchPlan, planResult } from '../../append-plan';
import { EventStoreUnavailableError, InvalidEventError } from '../../event-store.errors';
import type {
  AppendPlan,
  AppendRequest,
  AppendResult,
  EventStoreBackend,
  KnownEvent,
  PlannedRow,
  RawStoredEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  StreamHead,
} from '../../event-store.port';
import { storedInstant } from '../../metadata-filter';
import { decodeStoredRow } from '../../stored-row';
import { type BatchOutcome, GroupCommit } from './postgres-group-commit';
import { StreamHeadCache } from './postgres-head-cache';
import { PostgresNotifications } from './postgres-notifications';
import {
  isStatementError,
  LATEST_POSTGRES_SCHEMA_VERSION,
  LOCK_CLASS_COMMIT_ORDER,
  migrate,
  quoteSchema,
} from './postgres-migrations';

export interface PostgresEventStoreOptions {
  /** `postgres://user@host:5432/db`; the store creates (and on close ends) its own pool. */
  connectionString?: string;
  /** A pool owned by the caller; the store never ends it. One of the two is required. */
  pool?: Pool;
  /** The store's clock, for recordedAt. */
  now: () => Date;
  /** Schema holding the tables. Default `event_store`. */
  schema?: string;
  /** Most appends committed in one transaction. Default 512. */
  maxBatch?: number;
  /** A batch stops growing past this many bytes of event data. Default 8 MiB. */
  maxBatchBytes?: number;
  /** How many stream heads to remember to skip the read before a write. Default 10 000; 0 disables. */
  cachedStreams?: number;
  /** Size of the pool created from `connectionString`. Default 10. */
  poolSize?: number;
  /**
   * Wake subscribers in other processes promptly with LISTEN/NOTIFY (one NOTIFY per committed
   * batch, one listening connection per store once something subscribes). Default true; without
   * it other processes' writes are found by polling.
   */
  notify?: boolean;
  /** Run the migrations on first use (default). When false the schema must already be current. */
  migrate?: boolean;
}

/** What a batch is decided on: the head of each of its streams and the stored rows with its ids. */
interface WriteState {
  heads: Map<string, StreamHead | undefined>;
  known: Map<string, KnownEvent>;
}

/** How one append of a batch ended: its plan (rows to write, or none for a retry) or its refusal. */
interface Outcome {
  request: AppendRequest;
  rows: PlannedRow[];
  plan?: AppendPlan;
  error?: unknown;
}

interface EventRow {
  position: string;
  id: string;
  stream: string;
  revision: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  hash: string;
}

const COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, hash';
const E_COLUMNS = COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ');
const UNIQUE_VIOLATION = '23505';
// Lone UTF-16 surrogates cannot be stored as UTF-8 text without being altered; NUL cannot at all.
// eslint-disable-next-line no-control-regex
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The event store on PostgreSQL (docs/event-store-postgres.md).
 *
 * Commit order is position order: `append_events` takes a transaction-scoped advisory lock
 * before it draws positions from the sequence and keeps it until commit, so a reader that has
 * seen position p can never later see a commit below p. The lock covers only the insert and
 * the commit of a batch; checks and hashing happen before it.
 *
 * Group commit: appends requested while a batch is in flight are written together, one batch at
 * a time, in call order. The fast path decides every append against the stream heads it knows
 * (a small cache, else one snapshot read of the batch's heads and ids) and writes all rows in
 * one statement, which is its own transaction. The database has the last word: the unique
 * constraints on (stream, revision) and id, and the chain check in `append_events`, refuse the
 * statement if another process got there first or a guess was stale. Then the batch is redone
 * serialised: lock first, re-read (now authoritative), decide again, and if the database still
 * refuses the batch, each append goes in its own savepoint so only the offending one fails.
 */
export class PostgresEventStore implements EventStoreBackend {
  readonly name = 'postgres';
  readonly filtersMetadata = true;
  readonly schema: string;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly quoted: string;
  private readonly sql: ReturnType<PostgresEventStore['statements']>;
  private readonly commits: GroupCommit<AppendRequest, AppendResult>;
  private readonly headCache: StreamHeadCache;
  private readonly notifications: PostgresNotifications;
  private closed = false;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? 'event_store';
    this.quoted = quoteSchema(this.schema);
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else if (options.connectionString) {
      this.pool = new Pool({
        connectionString: options.connectionString,
        max: options.poolSize ?? 10,
        connectionTimeoutMillis: 10_000,
        application_name: 'event-store',
      });
      // An idle client losing its connection must not crash the process; the next query reconnects.
      this.pool.on('error', () => undefined);
      this.ownsPool = true;
    } else {
      throw new Error('PostgresEventStore needs a connectionString or a pool');
    }
    this.commits = new GroupCommit({
      commit: (batch) => this.commitBatch(batch),
      failure: (error) => unavailable('append failed', error),
      maxBatch: options.maxBatch ?? 512,
      maxBatchBytes: options.maxBatchBytes ?? 8 * 1024 * 1024,
    });
    this.headCache = new StreamHeadCache(options.cachedStreams ?? 10_000);
    const digest = createHash('sha256').update(this.schema).digest('hex').slice(0, 24);
    this.notifications = new PostgresNotifications(
      this.pool,
      options.notify === false ? null : `event_store_${digest}`,
    );
    this.sql = this.statements();
  }

  append(request: AppendRequest): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('the event store is closed'));
    if (UNSTORABLE_TEXT.test(request.stream)) {
      return Promise.reject(
        new InvalidEventError('stream name must not contain NUL or unpaired surrogates', -1, 'stream'),
      );
    }
    const bytes = request.events.reduce((sum, event) => sum + event.dataJson.length + 512, 0);
    return this.commits.submit(request, bytes);
  }

  async readStream(stream: string, options: ReadStreamOptions): Promise<RawStoredEvent[]> {
    if (UNSTORABLE_TEXT.test(stream)) return [];
    const until = options.until === undefined ? null : new Date(options.until).toISOString();
    const { rows } = await this.query<EventRow>(this.sql.readStream, [
      stream,
      options.fromRevision ?? 0,
      options.toRevision ?? Number.MAX_SAFE_INTEGER,
      until,
    ]);
    const events = rows.map(toEvent);
    if (options.toRevision === undefined && until === null && (options.fromRevision ?? 0) === 0) {
      // The whole stream as of this read: its head is a good guess for the next append.
      const last = events[events.length - 1];
      this.headCache.remember(
        new Map([[stream, last && { revision: last.revision, hash: last.hash }]]),
        false,
      );
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage & { events: RawStoredEvent[] }> {
    const after = options.after ?? 0;
    const limit = Math.max(1, Math.min(options.limit, 10_000));
    const types = options.filter?.types;
    const prefixes = options.filter?.streamPrefixes;
    const where = ['e.position > $1'];
    const params: unknown[] = [after, limit];
    if (types?.length) {
      params.push(types);
      where.push(`e.type = ANY($${params.length}::text[])`);
    }
    if (prefixes?.length) {
      params.push(prefixes.map((prefix) => prefix.replace(/[\\%_]/g, '\\$&') + '%'));
      where.push(`e.stream LIKE ANY($${params.length}::text[])`);
    }
    // The same expressions as the indexes events_by_actor and events_by_recorded_at.
    const filter = options.filter;
    if (filter?.actor !== undefined) {
      params.push(filter.actor);
      where.push(`(e.metadata::jsonb -> 'actor' ->> 'sub') COLLATE "C" = $${params.length}`);
    }
    if (filter?.recordedFrom !== undefined) {
      params.push(storedInstant(filter.recordedFrom));
      where.push(`e.recorded_at >= $${params.length}::timestamptz`);
    }
    if (filter?.recordedBefore !== undefined) {
      params.push(storedInstant(filter.recordedBefore));
      where.push(`e.recorded_at < $${params.length}::timestamptz`);
    }
    // One statement, so one snapshot: the page and the head agree. Because positions are handed
    // out in commit order (see the class comment), every event this snapshot does not show has
    // a position above its head, so `next` never jumps over an event committed later.
    const { rows } = await this.query<EventRow & { head: string | null }>(
      `SELECT h.head, p.* FROM (SELECT max(position) AS head FROM ${this.quoted}.events) h
       LEFT JOIN LATERAL (
         SELECT ${E_COLUMNS}
         FROM ${this.quoted}.events e WHERE ${where.join(' AND ')} ORDER BY e.position LIMIT $2
       ) p ON true
       ORDER BY p.position`,
      params,
    );
    const head = rows.length && rows[0].head !== null ? Number(rows[0].head) : 0;
    const events = rows.filter((row) => row.position !== null).map(toEvent);
    const full = events.length === limit;
    const last = events.length ? events[events.length - 1].position : after;
    const next = full ? last : Math.max(after, head);
    return { events, next, isEnd: !full || last >= head };
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.query<{ head: string | null }>(this.sql.head, []);
    return rows[0].head === null ? 0 : Number(rows[0].head);
  }

  onAppended(listener: () => void): () => void {
    if (this.closed) return () => undefined;
    return this.notifications.onAppended(listener);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
    await this.query(this.sql.head, []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted are written (or refused) before the pool goes away.
    await this.commits.drain();
    await this.notifications.close();
    if (this.ownsPool) await this.pool.end();
  }

  /** Creates or upgrades the schema now instead of on first use. */
  async migrate(): Promise<void> {
    await this.ensureReady();
  }

  private ensureReady(): Promise<void> {
    if (!this.ready) {
      this.ready = (async () => {
        if (this.options.migrate === false) {
          const { rows } = await this.pool.query<{ version: number | null }>(
            `SELECT max(version) AS version FROM ${this.quoted}.schema_migrations`,
          );
          if (rows[0].version !== LATEST_POSTGRES_SCHEMA_VERSION) {
            throw new Error(
              `event store schema ${this.schema} is at version ${rows[0].version ?? 0}, this build needs ${LATEST_POSTGRES_SCHEMA_VERSION}; run the migrations`,
            );
          }
        } else {
          await migrate(this.pool, this.schema);
        }
      })();
      // A failed start (database down) is retried on the next call rather than remembered.
      this.ready.catch(() => (this.ready = undefined));
    }
    return this.ready;
  }

  private async query<R extends object>(text: string | { name: string; text: string }, values: unknown[]) {
    try {
      await this.ensureReady();
      const config = typeof text === 'string' ? { text, values } : { ...text, values };
      return await this.pool.query<R>(config);
    } catch (error) {
      throw unavailable('read failed', error);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Committing a batch (the group commit hands them over one at a time, in call order)

  /** Writes one batch; throws only when the whole batch failed (connection lost...). */
  private async commitBatch(batch: AppendRequest[]): Promise<BatchOutcome<AppendResult>[]> {
    await this.ensureReady();
    const client = await this.pool.connect();
    let destroy = false;
    let outcomes: Outcome[];
    try {
      outcomes = await this.commitFast(client, batch);
    } catch (error) {
      if (!isStatementError(error)) destroy = true;
      // The outcome is unknown: forget what we believed about these streams.
      this.headCache.forget(batch.map((request) => request.stream));
      throw error;
    } finally {
      client.release(destroy);
    }
    for (const outcome of outcomes) if (outcome.error === undefined) this.headCache.written(outcome.rows);
    if (outcomes.some((outcome) => outcome.rows.length > 0)) this.notifications.emit();
    return outcomes.map((outcome) =>
      outcome.error === undefined
        ? { ok: true, result: planResult(outcome.plan!) }
        : { ok: false, error: outcome.error },
    );
  }

  /**
   * Fast path: check against what we know (the head cache, else one snapshot read), insert
   * everything in one statement, which is its own transaction. If anything was stale, the
   * database refuses the whole statement and the batch is redone serialised.
   */
  private async commitFast(client: PoolClient, batch: AppendRequest[]): Promise<Outcome[]> {
    const predicted = this.headCache.predict(batch);
    let state: WriteState;
    if (predicted) {
      state = { heads: predicted, known: new Map() };
    } else {
      state = await this.readState(client, batch);
      this.headCache.remember(state.heads, false);
    }
    const outcomes = this.plan(batch, state);
    const rows = outcomes.flatMap((outcome) => outcome.rows);
    if (rows.length === 0) return outcomes;
    try {
      await this.insert(client, rows);
      return outcomes;
    } catch (error) {
      // Another process won a revision or an id, a prediction was stale, or a row was refused.
      if (!isStatementError(error)) throw error;
    }
    return this.commitSerialised(client, batch);
  }

  /**
   * The batch again, holding the commit-order lock from the start. Every writer inserts only
   * while holding that lock, so now no other transaction has uncommitted rows: what we read is
   * the truth until we commit, and a unique violation can no longer come from a race.
   */
  private async commitSerialised(client: PoolClient, batch: AppendRequest[]): Promise<Outcome[]> {
    await client.query('BEGIN');
    try {
      await client.query(this.sql.lock);
      const state = await this.readState(client, batch);
      this.headCache.remember(state.heads, true);
      let outcomes = this.plan(batch, state);
      const rows = outcomes.flatMap((outcome) => outcome.rows);
      if (rows.length > 0) {
        await client.query('SAVEPOINT batch');
        try {
          await this.insert(client, rows);
        } catch (error) {
          if (!isStatementError(error)) throw error;
          await client.query('ROLLBACK TO SAVEPOINT batch');
          outcomes = await this.commitEach(client, batch);
        }
      }
      await client.query('COMMIT');
      return outcomes;
    } catch (error) {
      if (isStatementError(error)) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Last resort: each append in its own savepoint, so one refused append rolls back alone. */
  private async commitEach(client: PoolClient, batch: AppendRequest[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    // One plan across the loop: each append sees the rows written before it in this transaction.
    let state = new BatchPlan(await this.readState(client, batch));
    for (let i = 0; i < batch.length; i++) {
      const [outcome] = this.plan([batch[i]], state);
      if (outcome.rows.length === 0) {
        outcomes.push(outcome);
        continue;
      }
      await client.query('SAVEPOINT append');
      try {
        await this.insert(client, outcome.rows);
        await client.query('RELEASE SAVEPOINT append');
        outcomes.push(outcome);
        continue;
      } catch (error) {
        if (!isStatementError(error)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT append; RELEASE SAVEPOINT append');
        let refusal: unknown = unavailable('append refused by the database', error);
        if (error.code === UNIQUE_VIOLATION) {
          // The constraint says the revision or the id is taken: re-read and report what is there.
          const [again] = this.plan([batch[i]], await this.readState(client, [batch[i]]));
          if (again.error !== undefined) refusal = again.error;
        }
        outcomes.push({ request: batch[i], rows: [], error: refusal });
      }
      // The planned rows were not written: continue from what the database holds.
      state = new BatchPlan(await this.readState(client, batch.slice(i + 1)));
    }
    return outcomes;
  }

  /** Stream heads and already stored ids of a batch, from one snapshot. */
  private async readState(client: PoolClient, batch: AppendRequest[]): Promise<WriteState> {
    const streams = [...new Set(batch.map((request) => request.stream))];
    const ids = batch.flatMap((request) => request.events.map((event) => event.id));
    const { rows } = await client.query<{
      kind: 'head' | 'id';
      stream: string;
      revision: string;
      position: string | null;
      hash: string;
      id: string | null;
      type: string | null;
      data: string | null;
    }>({ ...this.sql.state, values: [streams, ids] });
    const state: WriteState = { heads: new Map(), known: new Map() };
    for (const stream of streams) state.heads.set(stream, undefined);
    for (const row of rows) {
      if (row.kind === 'head') {
        state.heads.set(row.stream, { revision: Number(row.revision), hash: row.hash });
      } else {
        state.known.set(row.id!, {
          stream: row.stream,
          revision: Number(row.revision),
          type: row.type!,
          dataJson: row.data!,
          position: Number(row.position),
        });
      }
    }
    return state;
  }

  /** Decides each append of a batch in order (the port's plan), as SQLite does inside its transaction. */
  private plan(batch: AppendRequest[], state: WriteState | BatchPlan): Outcome[] {
    const recordedAt = this.options.now().toISOString();
    const plans = state instanceof BatchPlan ? state : new BatchPlan(state);
    return batch.map((request) => {
      try {
        const plan = plans.plan(request, recordedAt);
        return { request, rows: plan.rows, plan };
      } catch (error) {
        return { request, rows: [], error };
      }
    });
  }

  /** Inserts rows in order through append_events; sets their positions. */
  private async insert(client: PoolClient, rows: PlannedRow[]): Promise<void> {
    const { rows: result } = await client.query<{ first: string }>({
      ...this.sql.append,
      values: [
        rows.map((row) => row.id),
        rows.map((row) => row.stream),
        rows.map((row) => row.revision),
        rows.map((row) => row.type),
        rows.map((row) => row.schemaVersion),
        rows.map((row) => row.dataJson),
        rows.map((row) => row.metadataJson),
        rows.map((row) => row.recordedAt),
        rows.map((row) => row.hash),
        rows.map((row) => row.previousHash),
        this.notifications.channel,
      ],
    });
    const first = Number(result[0].first);
    rows.forEach((row, i) => (row.position = first + i));
  }

  private statements() {
    const s = this.quoted;
    const tag = createHash('sha256').update(s).digest('hex').slice(0, 12);
    return {
      state: {
        name: `es_state_${tag}`,
        text: `SELECT 'head' AS kind, s.stream, h.revision, NULL::bigint AS position, h.hash,
                      NULL::text AS id, NULL::text AS type, NULL::text AS data
               FROM unnest($1::text[]) AS s(stream)
               CROSS JOIN LATERAL (
                 SELECT e.revision, e.hash FROM ${s}.events e
                 WHERE e.stream = s.stream ORDER BY e.revision DESC LIMIT 1
               ) h
               UNION ALL
               SELECT 'id', e.stream, e.revision, e.position, e.hash, e.id::text, e.type, e.data
               FROM ${s}.events e WHERE e.id = ANY($2::uuid[])`,
      },
      append: {
        name: `es_append_${tag}`,
        text: `SELECT ${s}.append_events($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::integer[],
                 $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::text) AS first`,
      },
      lock: `SELECT pg_advisory_xact_lock(${LOCK_CLASS_COMMIT_ORDER}, hashtext('${this.schema}'))`,
      head: { name: `es_head_${tag}`, text: `SELECT max(position) AS head FROM ${s}.events` },
      readStream: {
        name: `es_stream_${tag}`,
        text: `SELECT ${COLUMNS} FROM ${s}.events
               WHERE stream = $1 AND revision >= $2 AND revision <= $3
                 AND ($4::timestamptz IS NULL OR recorded_at <= $4::timestamptz)
               ORDER BY revision`,
      },
    };
  }
}

function unavailable(what: string, error: unknown): unknown {
  if (error instanceof EventStoreUnavailableError) return error;
  return new EventStoreUnavailableError(`${what}: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}

function toEvent(row: EventRow): RawStoredEvent {
  return decodeStoredRow({
    id: row.id,
    stream: row.stream,
    revision: Number(row.revision),
    position: Number(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    dataJson: row.data,
    metadataJson: row.metadata,
    hash: row.hash,
  });
}
