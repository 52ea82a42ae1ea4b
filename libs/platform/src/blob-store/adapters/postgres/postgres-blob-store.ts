import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Pool, type PoolClient } from 'pg';
import {
  assertDigest,
  type BlobInfo,
  BlobNotFoundError,
  BlobStore,
  type PutResult,
} from '../../blob-store.port';

export interface PostgresBlobStoreOptions {
  connectionString?: string;
  /** Use this pool instead of opening one (it is then not closed by {@link PostgresBlobStore.close}). */
  pool?: Pool;
  /** Default `blob_store`. */
  schema?: string;
  poolSize?: number;
  /** Bytes per row of blob_chunks. Default 1 MiB. */
  chunkBytes?: number;
}

/** Blobs whose name starts with this are uploads in progress (invisible: no `blobs` row). */
const STAGING = 'upload:';

/**
 * Blobs as rows: `blobs(digest, size)` and `blob_chunks(blob, seq, data bytea)` of up to
 * `chunkBytes` each. An upload writes its chunks under a staging name inside one transaction and
 * renames them to the digest when it commits, so a failed upload rolls back to nothing and a blob
 * is visible only complete. Two uploads of the same bytes serialise on the `blobs` primary key;
 * the second rolls back and reports `created: false`.
 */
export class PostgresBlobStore extends BlobStore {
  readonly name = 'postgres';
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly schema: string;
  private readonly chunkBytes: number;
  private ready: Promise<void> | undefined;

  constructor(options: PostgresBlobStoreOptions) {
    super();
    this.schema = options.schema ?? 'blob_store';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) throw new Error(`invalid schema name ${this.schema}`);
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else if (options.connectionString) {
      this.pool = new Pool({
        connectionString: options.connectionString,
        max: options.poolSize ?? 10,
        connectionTimeoutMillis: 10_000,
        application_name: 'blob-store',
      });
      this.pool.on('error', () => undefined);
      this.ownsPool = true;
    } else {
      throw new Error('PostgresBlobStore needs a connectionString or a pool');
    }
  }

  private get blobs() {
    return `"${this.schema}".blobs`;
  }
  private get chunks() {
    return `"${this.schema}".blob_chunks`;
  }

  /** Creates the schema on first use (serialised across processes by an advisory lock). */
  private migrate(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`blob-store:${this.schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${this.blobs} (
             digest text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
             size bigint NOT NULL CHECK (size >= 0),
             created_at timestamptz NOT NULL DEFAULT now())`,
        );
        // When the bytes were last put (BlobInfo.storedAt): the orphan collection's clock.
        await client.query(
          `ALTER TABLE ${this.blobs} ADD COLUMN IF NOT EXISTS stored_at timestamptz NOT NULL DEFAULT now()`,
        );
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${this.chunks} (
             blob text NOT NULL,
             seq integer NOT NULL,
             data bytea NOT NULL,
             PRIMARY KEY (blob, seq))`,
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        this.ready = undefined;
        throw error;
      } finally {
        client.release();
      }
    })();
    return this.ready;
  }

  async put(source: AsyncIterable<Uint8Array> | Readable): Promise<PutResult> {
    await this.migrate();
    const staging = `${STAGING}${randomUUID()}`;
    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    const client: PoolClient = await this.pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN');
      // Rows of exactly chunkBytes (the last one shorter), whatever sizes the source delivers.
      const row = Buffer.allocUnsafe(this.chunkBytes);
      let filled = 0;
      const flush = async () => {
        await client.query(`INSERT INTO ${this.chunks} (blob, seq, data) VALUES ($1, $2, $3)`, [
          staging,
          seq++,
          row.subarray(0, filled),
        ]);
        filled = 0;
      };
      for await (const chunk of source) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        hash.update(buffer);
        size += buffer.length;
        let offset = 0;
        while (offset < buffer.length) {
          const copied = buffer.copy(row, filled, offset);
          filled += copied;
          offset += copied;
          if (filled === this.chunkBytes) await flush();
        }
      }
      if (filled > 0) await flush();
      const digest = hash.digest('hex');
      // Already held: the staged rows go, and the blob is young again (BlobInfo.storedAt).
      const inserted = await client.query<{ inserted: boolean }>(
        `INSERT INTO ${this.blobs} (digest, size) VALUES ($1, $2)
           ON CONFLICT (digest) DO UPDATE SET stored_at = now() RETURNING (xmax = 0) AS inserted`,
        [digest, size],
      );
      if (!inserted.rows[0].inserted) {
        await client.query(`DELETE FROM ${this.chunks} WHERE blob = $1`, [staging]);
        await client.query('COMMIT');
        return { digest, size, created: false };
      }
      await client.query(`UPDATE ${this.chunks} SET blob = $1 WHERE blob = $2`, [digest, staging]);
      await client.query('COMMIT');
      return { digest, size, created: true };
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A client whose transaction may be in an unknown state is not returned to the pool.
      client.release(failed ? true : undefined);
    }
  }

  async stat(digest: string): Promise<BlobInfo | null> {
    assertDigest(digest);
    await this.migrate();
    const { rows } = await this.pool.query<{ size: string; stored_at: Date }>(
      `SELECT size, stored_at FROM ${this.blobs} WHERE digest = $1`,
      [digest],
    );
    return rows.length ? { digest, size: Number(rows[0].size), storedAt: rows[0].stored_at } : null;
  }

  async read(digest: string): Promise<Readable> {
    if ((await this.stat(digest)) === null) throw new BlobNotFoundError(digest);
    const pool = this.pool;
    const chunks = this.chunks;
    // A few chunks per query: bounded memory, few round trips.
    async function* rows() {
      let next = 0;
      for (;;) {
        const { rows: batch } = await pool.query<{ seq: number; data: Buffer }>(
          `SELECT seq, data FROM ${chunks} WHERE blob = $1 AND seq >= $2 ORDER BY seq LIMIT 4`,
          [digest, next],
        );
        for (const row of batch) yield row.data;
        if (batch.length < 4) return;
        next = batch[batch.length - 1].seq + 1;
      }
    }
    return Readable.from(rows(), { objectMode: false });
  }

  async delete(digest: string): Promise<boolean> {
    assertDigest(digest);
    await this.migrate();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const removed = await client.query(`DELETE FROM ${this.blobs} WHERE digest = $1`, [digest]);
      await client.query(`DELETE FROM ${this.chunks} WHERE blob = $1`, [digest]);
      await client.query('COMMIT');
      return (removed.rowCount ?? 0) > 0;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    await this.migrate();
    let after = '';
    for (;;) {
      const { rows } = await this.pool.query<{ digest: string; size: string; stored_at: Date }>(
        `SELECT digest, size, stored_at FROM ${this.blobs} WHERE digest > $1 ORDER BY digest LIMIT 1000`,
        [after],
      );
      for (const row of rows) yield { digest: row.digest, size: Number(row.size), storedAt: row.stored_at };
      if (rows.length < 1000) return;
      after = rows[rows.length - 1].digest;
    }
  }

  /** Chunk rows of uploads not committed (the conformance suite checks there are none). */
  async partialUploads(): Promise<number> {
    await this.migrate();
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.chunks} WHERE blob LIKE $1`,
      [`${STAGING}%`],
    );
    return Number(rows[0].n);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
