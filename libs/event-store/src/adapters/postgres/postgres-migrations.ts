import type { Pool, PoolClient } from 'pg';

/**
 * Versioned schema of the PostgreSQL event store. Each migration runs in its own transaction
 * and is recorded in `<schema>.schema_migrations`; {@link migrate} applies the missing ones in
 * order under a session advisory lock, so several processes booting together are safe.
 * Never edit a released migration; add the next one. `{{schema}}` is replaced by the quoted
 * schema name, `{{schema_literal}}` by the schema name as a SQL string literal.
 */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** First key of every advisory lock this adapter takes ('ES' + 1 = migrations, + 2 = commit order). */
const LOCK_CLASS_MIGRATE = 0x45530001;
export const LOCK_CLASS_COMMIT_ORDER = 0x45530002;

export const POSTGRES_MIGRATIONS: PostgresMigration[] = [
  {
    version: 1,
    name: 'events table, commit-ordered positions, append function',
    sql: `
      -- Positions are handed out only by {{schema}}.append_events while it holds the commit-order
      -- lock (see docs/event-store-postgres.md). CACHE 1 is essential: a session-cached block of
      -- values would let a later commit take a lower position.
      CREATE SEQUENCE {{schema}}.events_position_seq START 1 CACHE 1 NO CYCLE;

      CREATE TABLE {{schema}}.events (
        position       bigint      NOT NULL PRIMARY KEY,
        id             uuid        NOT NULL UNIQUE,
        stream         text        COLLATE "C" NOT NULL,
        revision       bigint      NOT NULL CHECK (revision >= 0),
        type           text        COLLATE "C" NOT NULL,
        schema_version integer     NOT NULL,
        data           text        NOT NULL,
        metadata       text        NOT NULL,
        recorded_at    timestamptz NOT NULL,
        hash           text        COLLATE "C" NOT NULL,
        CONSTRAINT events_stream_revision_key UNIQUE (stream, revision)
      );
      ALTER SEQUENCE {{schema}}.events_position_seq OWNED BY {{schema}}.events.position;
      CREATE INDEX events_by_type ON {{schema}}.events (type, position);

      -- Writes one batch of prepared rows, in array order. Takes the commit-order lock FIRST,
      -- then numbers the rows from the sequence, then inserts them; the lock is held until the
      -- calling transaction commits or rolls back, so position order is commit order.
      -- Besides the unique constraints it checks that every row chains to the stored row before
      -- it (same stream, previous revision, p_previous = that row's hash): whatever the client
      -- believed about the stream's head, a gap or a forked chain cannot be written.
      CREATE FUNCTION {{schema}}.append_events(
        p_ids uuid[], p_streams text[], p_revisions bigint[], p_types text[], p_schema_versions integer[],
        p_data text[], p_metadata text[], p_recorded_at timestamptz[], p_hashes text[], p_previous text[],
        p_channel text
      ) RETURNS bigint
      LANGUAGE plpgsql
      AS $fn$
      DECLARE
        n integer := cardinality(p_ids);
        first_position bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOCK_CLASS_COMMIT_ORDER}, hashtext({{schema_literal}}));
        first_position := nextval('{{schema}}.events_position_seq');
        IF n > 1 THEN
          PERFORM setval('{{schema}}.events_position_seq', first_position + n - 1);
        END IF;
        INSERT INTO {{schema}}.events
          (position, id, stream, revision, type, schema_version, data, metadata, recorded_at, hash)
        SELECT first_position + r.ord - 1, r.id, r.stream, r.revision, r.type, r.schema_version,
               r.data, r.metadata, r.recorded_at, r.hash
        FROM unnest(p_ids, p_streams, p_revisions, p_types, p_schema_versions, p_data, p_metadata,
                    p_recorded_at, p_hashes)
             WITH ORDINALITY AS r(id, stream, revision, type, schema_version, data, metadata,
                                  recorded_at, hash, ord);
        IF EXISTS (
          SELECT 1 FROM unnest(p_streams, p_revisions, p_previous) AS r(stream, revision, previous)
          WHERE CASE WHEN r.revision = 0 THEN r.previous <> repeat('0', 64)
                     ELSE NOT EXISTS (SELECT 1 FROM {{schema}}.events e
                                      WHERE e.stream = r.stream AND e.revision = r.revision - 1
                                        AND e.hash = r.previous) END
        ) THEN
          RAISE EXCEPTION 'event store: a row does not chain to the previous event of its stream'
            USING ERRCODE = 'ES409';
        END IF;
        IF p_channel IS NOT NULL THEN
          PERFORM pg_notify(p_channel, '');
        END IF;
        RETURN first_position;
      END
      $fn$;
    `,
  },
  {
    version: 2,
    name: 'indexes for the auditors: by actor, by recording time',
    sql: `
      -- GET /v1/audit/events?actor=&from=&to=, each in position order. metadata is the stored
      -- JSON text; the expression must match the one readAll uses.
      CREATE INDEX events_by_actor ON {{schema}}.events
        (((metadata::jsonb -> 'actor' ->> 'sub')) COLLATE "C", position);
      CREATE INDEX events_by_recorded_at ON {{schema}}.events (recorded_at, position);
    `,
  },
];

/** The newest schema version this build knows. */
export const LATEST_POSTGRES_SCHEMA_VERSION = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Refuses schema names that would need more than plain quoting (they end up in SQL text). */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`schema name must match ${SCHEMA_NAME} (got ${JSON.stringify(schema)})`);
  }
}

export function quoteSchema(schema: string): string {
  assertSchemaName(schema);
  return `"${schema}"`;
}

export interface MigrateResult {
  /** Schema version before the call (0: the schema did not exist). */
  from: number;
  to: number;
  applied: number[];
}

/**
 * Creates or upgrades the event store schema. Safe to call from many processes at once: they
 * queue on a session advisory lock keyed by the schema name, and each migration commits with
 * its version row. Refuses a schema newer than this build (a downgrade would misread it).
 */
export async function migrate(
  pool: Pool,
  schema = 'event_store',
  migrations: PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<MigrateResult> {
  const quoted = quoteSchema(schema);
  const client = await pool.connect();
  // A connection that failed outside SQL (or could not unlock) is destroyed, not returned to
  // the pool: ending the session is what releases its advisory lock.
  let destroy = false;
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS_MIGRATE, schema]);
    try {
      return await applyMigrations(client, schema, quoted, migrations);
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS_MIGRATE, schema])
        .catch(() => (destroy = true));
    }
  } catch (error) {
    if (!isStatementError(error)) destroy = true;
    throw error;
  } finally {
    client.release(destroy);
  }
}

async function applyMigrations(
  client: PoolClient,
  schema: string,
  quoted: string,
  migrations: PostgresMigration[],
): Promise<MigrateResult> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
       version    integer     PRIMARY KEY,
       name       text        NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const from = await currentVersion(client, quoted);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (from > known) {
    throw new Error(
      `event store schema ${schema} is at version ${from}, newer than this build knows (${known}); upgrade the engine`,
    );
  }
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= from) continue;
    const sql = migration.sql
      .replaceAll('{{schema}}', quoted)
      .replaceAll('{{schema_literal}}', `'${schema}'`);
    await client.query('BEGIN');
    try {
      await client.query(sql);
      await client.query(`INSERT INTO ${quoted}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    applied.push(migration.version);
  }
  return { from, to: applied.length ? applied[applied.length - 1] : from, applied };
}

/**
 * An error PostgreSQL reported for one statement (a SQLSTATE with severity ERROR): the session
 * is still usable. FATAL errors, timeouts and socket errors mean the connection is gone.
 */
export function isStatementError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error &&
    (error as { severity?: unknown }).severity === 'ERROR' &&
    /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown }).code))
  );
}

async function currentVersion(client: PoolClient, quoted: string): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${quoted}.schema_migrations`,
  );
  return rows[0].version ?? 0;
}
