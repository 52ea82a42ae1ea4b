import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Client, Pool, types as pgTypes } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AppConfig } from '@engine/platform';
import { migrateReadModels } from './migrations';
import type { ReadModelSchema } from './schema';

export type ReadModelDialect = 'sqlite' | 'postgres';

export type ReadModelDatabaseOptions =
  | {
      dialect: 'sqlite';
      /** The database file; `:memory:` for unit tests (one connection then serves reads and writes). */
      file: string;
    }
  | {
      dialect: 'postgres';
      url: string;
      /** Schema holding the read models. Default `read_models`; tests use one of their own. */
      schema?: string;
      poolSize?: number;
    };

/** Path of the embedded read models inside DATA_DIR. */
export function sqliteReadModelFile(config: Pick<AppConfig, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'read-models.sqlite');
}

/** SQLite in DATA_DIR by default, PostgreSQL when READ_MODEL_URL is set. */
export function readModelOptionsFromConfig(
  config: Pick<AppConfig, 'DATA_DIR' | 'READ_MODEL_URL'>,
): ReadModelDatabaseOptions {
  return config.READ_MODEL_URL
    ? { dialect: 'postgres', url: config.READ_MODEL_URL }
    : { dialect: 'sqlite', file: sqliteReadModelFile(config) };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The read-model database: Kysely over better-sqlite3 or pg. `writer` is what projection
 * runners write through; `reader` serves queries. On SQLite they are two connections to the
 * same WAL file, so a query never waits behind a projection's open transaction; on
 * PostgreSQL they share one pool.
 */
export class ReadModelDatabase {
  private closed = false;

  /** Use {@link ReadModelDatabase.open}. */
  constructor(
    readonly dialect: ReadModelDialect,
    readonly writer: Kysely<ReadModelSchema>,
    readonly reader: Kysely<ReadModelSchema>,
    /** Where the PostgreSQL read models live (leader locks need their own connections). */
    readonly postgres: { url: string; schema: string } | undefined,
    /** A name for logs: the file or the schema. */
    readonly location: string,
    /**
     * SQLite only: the writer's own better-sqlite3 connection. Projections write their rows
     * through cached prepared statements on it, inside the Kysely transaction that holds the
     * same connection (docs/read-models.md, Speed).
     */
    readonly sqliteWriter?: Database.Database,
    /** PostgreSQL only: the pool's connected clients by backend pid (for COPY, see copyRows). */
    private readonly postgresClients?: ReadonlyMap<number, Client>,
  ) {}

  /**
   * PostgreSQL only: appends rows to the physical `table` with `COPY ... FROM STDIN` on the
   * connection of `trx` (so inside its transaction). COPY has no conflict clause: only for
   * tables nobody else writes and rows written once (a rebuild's fresh shadow). On the server
   * it costs about a quarter of the same rows through json_populate_recordset.
   */
  async copyRows(
    trx: Transaction<ReadModelSchema>,
    table: string,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const { rows: found } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    const client = this.postgresClients?.get(Number(found[0]?.pid));
    if (!client) throw new Error(`COPY into ${table}: no PostgreSQL connection of this transaction`);
    const names = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
    const stream = client.query(copyFrom(`COPY "${table.replace(/"/g, '""')}" (${names}) FROM STDIN`));
    await pipeline(Readable.from(copyText(rows)), stream);
  }

  /** Opens (creating if needed) and brings the bookkeeping tables up to date. */
  static async open(options: ReadModelDatabaseOptions): Promise<ReadModelDatabase> {
    const database = options.dialect === 'sqlite' ? openSqlite(options.file) : openPostgres(options);
    try {
      await migrateReadModels(database.writer as unknown as Kysely<unknown>, database.postgres?.schema);
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.reader);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.destroy();
    if (this.reader !== this.writer) await this.reader.destroy();
  }
}

type SqliteConnection = InstanceType<typeof Database>;

/**
 * The connection as Kysely sees it, with each statement prepared once per SQL text: Kysely
 * prepares every query anew, which costs more than running it for the small reads and writes
 * of projections and runners. A statement still busy (being iterated) is never handed out twice.
 */
function withStatementCache(connection: SqliteConnection, limit = 1000) {
  const cache = new Map<string, ReturnType<SqliteConnection['prepare']>>();
  return {
    close: () => connection.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = connection.prepare(text);
      if (!cached) {
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

function openSqlite(file: string): ReadModelDatabase {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const writerConnection = new Database(file);
  // Rows and their checkpoint commit together, so NORMAL (no fsync per commit in WAL mode) is
  // safe: a power loss can only roll both back, and the runner replays from the older checkpoint.
  writerConnection.pragma('journal_mode = WAL');
  writerConnection.pragma('synchronous = NORMAL');
  writerConnection.pragma('busy_timeout = 15000');
  // A rebuild touches every row of a table: keep its pages in memory (64 MiB, the default is 2).
  writerConnection.pragma('cache_size = -65536');
  const writer = new Kysely<ReadModelSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(writerConnection) }),
  });
  if (memory) return new ReadModelDatabase('sqlite', writer, writer, undefined, file, writerConnection);
  const readerConnection = new Database(file);
  readerConnection.pragma('busy_timeout = 5000');
  readerConnection.pragma('query_only = ON');
  const reader = new Kysely<ReadModelSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(readerConnection) }),
  });
  return new ReadModelDatabase('sqlite', writer, reader, undefined, file, writerConnection);
}

/** int8 (positions) as JavaScript numbers; they stay far below 2^53. Local to this pool. */
const pgTypeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pgTypes.builtins.INT8
      ? (value: string) => Number(value)
      : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

function openPostgres(options: Extract<ReadModelDatabaseOptions, { dialect: 'postgres' }>) {
  const schema = options.schema ?? 'read_models';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid read-model schema name ${JSON.stringify(schema)}`);
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    types: pgTypeParsers,
  });
  // An idle client's error (the server went away) must not crash the process; the next
  // query reports it and the caller retries.
  pool.on('error', () => undefined);
  const db = new Kysely<ReadModelSchema>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(sql`set search_path to ${sql.id(schema)}`.compile(db));
      },
    }),
  });
  // The clients by backend pid: copyRows finds the one a transaction runs on.
  const clients = new Map<number, Client>();
  const processId = (client: unknown) => (client as { processID: number }).processID;
  pool.on('connect', (client) => clients.set(processId(client), client as unknown as Client));
  pool.on('remove', (client) => clients.delete(processId(client)));
  return new ReadModelDatabase(
    'postgres',
    db,
    db,
    { url: options.url, schema },
    `postgres schema ${schema}`,
    undefined,
    clients,
  );
}

/** COPY's text format: tab-separated, `\N` for null, backslash, tab and line breaks escaped. */
function* copyText(rows: readonly (readonly unknown[])[]): Generator<string> {
  const CHUNK = 1000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let text = '';
    for (const row of rows.slice(i, i + CHUNK)) {
      for (let c = 0; c < row.length; c++) {
        const value = row[c];
        if (c > 0) text += '\t';
        text +=
          value === null || value === undefined
            ? '\\N'
            : typeof value === 'string'
              ? value.replace(/[\\\t\n\r]/g, escapeCopy)
              : String(value);
      }
      text += '\n';
    }
    yield text;
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeCopy = (char: string) => COPY_ESCAPES[char];
