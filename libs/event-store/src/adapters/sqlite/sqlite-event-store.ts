import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { planResult } from '../../append-plan';
import { EventStoreUnavailableError } from '../../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventStoreBackend,
  KnownEvent,
  RawStoredEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  StreamHead,
  StreamTip,
} from '../../event-store.port';
import { storedInstant } from '../../metadata-filter';
import { decodeLeanColumns, decodeStoredColumns, decodeStoredRow } from '../../stored-row';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';

export interface SqliteEventStoreOptions {
  /** Path of the database file; `:memory:` for throwaway tests. */
  file: string;
  /** The store's clock, for recordedAt. */
  now: () => Date;
  /**
   * `FULL` (default) fsyncs the WAL at every commit, so an acknowledged append survives power
   * loss. `NORMAL` only survives a process crash; never use it for production data.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process holding the write lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Most appends committed in one transaction. Default 512. */
  maxBatch?: number;
  /** Open an existing file for reading only (verifying a backup or an export source). */
  readonly?: boolean;
}

interface PendingAppend {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  result?: AppendResult;
  error?: unknown;
}

interface EventRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  hash: string;
}

const COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, hash';
/**
 * A lean read's columns (ReadAllOptions.lean): no id or hash, and of the metadata only
 * occurredAt, extracted by SQLite (decoding the metadata was a quarter of a rebuild's reading).
 */
const LEAN_COLUMNS = `position, stream, revision, type, schema_version, data,
  CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.occurredAt') END`;

/**
 * The embedded event store: one SQLite file in WAL mode.
 *
 * Group commit: appends requested during one turn of the event loop are written in a single
 * transaction (one fsync), each inside its own savepoint so that a failed expectation rolls
 * back only that append. Callers are answered only after the commit is durable.
 *
 * Positions are SQLite rowids (AUTOINCREMENT, never reused). SQLite has one writer at a time,
 * so position order is commit order and a reader can never skip an event committed later.
 */
export class SqliteEventStore implements EventStoreBackend {
  readonly name = 'sqlite';
  readonly filtersMetadata = true;
  private readonly db: Database.Database;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly listeners = new Set<() => void>();
  private closed = false;
  private readonly maxBatch: number;
  private readonly statements: ReturnType<SqliteEventStore['prepareStatements']>;
  private readonly commitBatch: Database.Transaction<(batch: PendingAppend[]) => void>;
  private readonly appendOne: (pending: PendingAppend) => AppendResult;

  constructor(private readonly options: SqliteEventStoreOptions) {
    if (options.readonly) {
      this.db = new Database(options.file, { readonly: true, fileMustExist: true });
    } else {
      if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
      this.db = new Database(options.file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      // 64 MiB of page cache (default 2 MiB): appends insert random keys into the id and
      // (stream, revision) indexes, and with a small cache each commit grew slower as the
      // file grew (bench:api profile).
      this.db.pragma('cache_size = -65536');
      this.migrate();
    }
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.maxBatch = options.maxBatch ?? 512;
    this.statements = this.prepareStatements();
    this.readPage = this.db.transaction((statement: Statement, params: unknown[]) => {
      const rows = statement.all(...params) as unknown[][];
      const head = (this.statements.head.get() as { head: number | null }).head ?? 0;
      return { rows, head };
    });
    // Nested better-sqlite3 transactions become savepoints: a throw undoes only that append.
    this.appendOne = this.db.transaction((pending: PendingAppend) => this.write(pending));
    this.commitBatch = this.db.transaction((batch: PendingAppend[]) => {
      for (const pending of batch) {
        try {
          pending.result = this.appendOne(pending);
        } catch (error) {
          pending.error = error;
        }
      }
    });
  }

  /** Schema version of the file (PRAGMA user_version). */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  append(request: AppendRequest): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('the event store is closed'));
    if (this.options.readonly)
      return Promise.reject(new EventStoreUnavailableError('the event store is open read-only'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(stream: string, options: ReadStreamOptions): Promise<RawStoredEvent[]> {
    const until = options.until === undefined ? null : new Date(options.until).toISOString();
    const rows = this.statements.readStream.all({
      stream,
      from: options.fromRevision ?? 0,
      to: options.toRevision ?? Number.MAX_SAFE_INTEGER,
      until,
    }) as EventRow[];
    return rows.map(toEvent);
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage & { events: RawStoredEvent[] }> {
    const after = options.after ?? 0;
    const limit = Math.max(1, Math.min(options.limit, 10_000));
    const types = options.filter?.types;
    const prefixes = options.filter?.streamPrefixes;
    const where = ['position > ?'];
    const params: unknown[] = [after];
    if (types?.length) {
      where.push(`type IN (${types.map(() => '?').join(', ')})`);
      params.push(...types);
    }
    if (prefixes?.length) {
      where.push(`(${prefixes.map(() => 'substr(stream, 1, ?) = ?').join(' OR ')})`);
      for (const prefix of prefixes) params.push(prefix.length, prefix);
    }
    // The same expressions as the indexes events_by_actor and events_by_recorded_at.
    const filter = options.filter;
    if (filter?.actor !== undefined) {
      where.push(`json_extract(metadata, '$.actor.sub') = ?`);
      params.push(filter.actor);
    }
    if (filter?.recordedFrom !== undefined) {
      where.push('recorded_at >= ?');
      params.push(storedInstant(filter.recordedFrom));
    }
    if (filter?.recordedBefore !== undefined) {
      where.push('recorded_at < ?');
      params.push(storedInstant(filter.recordedBefore));
    }
    const lean = options.lean;
    const sql = `SELECT ${lean ? LEAN_COLUMNS : COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`;
    params.push(limit);
    const { rows, head } = this.readPage(this.readAllStatement(sql), params);
    const full = rows.length === limit;
    const last = rows.length ? (rows[rows.length - 1][0] as number) : after;
    const next = full ? last : Math.max(after, head);
    // Decoded straight from the row arrays into one object per event: a rebuild reads every
    // event, and the intermediate row objects were a fifth of its garbage.
    if (lean) return { events: fromLeanRows(rows, lean.types), next, isEnd: !full || last >= head };
    const events = new Array<RawStoredEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = fromColumns(rows[i]);
    return { events, next, isEnd: !full || last >= head };
  }

  async streamTip(stream: string): Promise<StreamTip | undefined> {
    return this.statements.streamTip.get(stream) as StreamTip | undefined;
  }

  async headPosition(): Promise<number> {
    return (this.statements.head.get() as { head: number | null }).head ?? 0;
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new EventStoreUnavailableError('the event store is closed');
    this.statements.head.get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }

  /** A consistent online copy of the file (SQLite's backup API). */
  async backup(destination: string, onProgress?: (done: number, total: number) => void): Promise<void> {
    await this.db.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 200;
      },
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        // IMMEDIATE: take the write lock before reading revisions, so a writer in another
        // process makes us wait (busy_timeout) instead of failing a read-to-write upgrade.
        this.commitBatch.immediate(batch);
      } catch (error) {
        const failure = new EventStoreUnavailableError(`append failed: ${(error as Error).message}`, {
          cause: error,
        });
        for (const pending of batch) pending.reject(failure);
        continue;
      }
      for (const pending of batch) {
        if (pending.error !== undefined) pending.reject(pending.error);
        else pending.resolve(pending.result!);
      }
      for (const listener of this.listeners) listener();
    }
  }

  /**
   * Runs inside the batch transaction, in its own savepoint: reads the stream's head and the
   * rows with the append's ids, lets the port decide, stores what it planned.
   */
  private write({ request }: PendingAppend): AppendResult {
    const head = this.statements.streamHead.get(request.stream) as StreamHead | undefined;
    const known = new Map<string, KnownEvent>();
    for (const event of request.events) {
      const row = this.statements.byId.get(event.id) as EventRow | undefined;
      if (row) known.set(row.id, { ...row, dataJson: row.data });
    }
    const plan = request.plan({ head, known }, this.options.now().toISOString());
    for (const row of plan.rows) {
      const info = this.statements.insert.run(
        row.id,
        row.stream,
        row.revision,
        row.type,
        row.schemaVersion,
        row.dataJson,
        row.metadataJson,
        row.recordedAt,
        row.hash,
      );
      row.position = Number(info.lastInsertRowid);
    }
    return planResult(plan);
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db.pragma(`user_version = ${migration.version}`);
      })();
    }
  }

  /**
   * One read transaction: the page and the head come from the same snapshot, so `next` never
   * jumps over an event another process commits in between. Made once (not per call).
   */
  private readonly readPage: (statement: Statement, params: unknown[]) => { rows: unknown[][]; head: number };

  /** readAll's statements by SQL text: few filter shapes recur, each prepared once. */
  private readonly readAllStatements = new Map<string, Statement>();
  private readAllStatement(sql: string): Statement {
    let statement = this.readAllStatements.get(sql);
    if (!statement) {
      if (this.readAllStatements.size >= 200) this.readAllStatements.clear();
      // Rows as arrays in COLUMNS order (fromColumns): no object per row to build and drop.
      statement = this.db.prepare(sql).raw(true);
      this.readAllStatements.set(sql, statement);
    }
    return statement;
  }

  private prepareStatements() {
    return {
      insert: this.db.prepare(
        `INSERT INTO events (id, stream, revision, type, schema_version, data, metadata, recorded_at, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      streamHead: this.db.prepare(
        'SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      streamTip: this.db.prepare(
        'SELECT revision, id FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      byId: this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE id = ?`),
      head: this.db.prepare('SELECT max(position) AS head FROM events'),
      readStream: this.db.prepare(
        `SELECT ${COLUMNS} FROM events
         WHERE stream = @stream AND revision >= @from AND revision <= @to
           AND (@until IS NULL OR recorded_at <= @until)
         ORDER BY revision`,
      ),
    };
  }
}

/** A row of `SELECT ${COLUMNS}` in raw (array) mode. */
function fromColumns(row: unknown[]): RawStoredEvent {
  return decodeStoredColumns(
    row[1] as string,
    row[2] as string,
    row[3] as number,
    row[0] as number,
    row[4] as string,
    row[5] as number,
    row[6] as string,
    row[7] as string,
    row[8] as string,
  );
}

/** Rows of `SELECT ${LEAN_COLUMNS}`: those of a type outside `types` are skipped undecoded. */
function fromLeanRows(rows: unknown[][], types: readonly string[] | undefined): RawStoredEvent[] {
  const keep = types ? new Set(types) : undefined;
  const events: RawStoredEvent[] = [];
  for (const row of rows) {
    if (keep && !keep.has(row[3] as string)) continue;
    events.push(
      decodeLeanColumns(
        row[1] as string,
        row[2] as number,
        row[0] as number,
        row[3] as string,
        row[4] as number,
        row[5] as string,
        row[6] as string | null,
      ),
    );
  }
  return events;
}

function toEvent(row: EventRow): RawStoredEvent {
  return decodeStoredRow({
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    schemaVersion: row.schema_version,
    dataJson: row.data,
    metadataJson: row.metadata,
    hash: row.hash,
  });
}
