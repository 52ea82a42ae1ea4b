/**
 * The PostgreSQL event store against raw `pg` inserts of the same rows, in one run:
 *
 *   node scripts/build.js && node dist/bench/store-postgres.bench.js
 *
 *   appends/s, 1 writer        our append, one event per call, awaited one after another
 *   appends/s, 64 writers      64 concurrent callers, one event per call (group commit)
 *   baseline batched insert/s  64 concurrent writers of one row each, their rows batched into
 *                              multi-row INSERTs (unnest) by a raw batcher, several batches in
 *                              flight at once; same table, indexes, columns and row sizes, no
 *                              checks, no hashing, no ordering lock
 *   raw single-row insert/s    64 concurrent writers, one autocommit INSERT each (context only)
 *
 * Every figure is the median of RUNS runs (default 3), ours and the baselines interleaved.
 * Target (issue 9): 64 writers >= 50% of the batched raw insert rate.
 * PG_BENCH_URL (or PG_TEST_URL) selects the database; default postgres://postgres@127.0.0.1:5432/test.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { EventStore, canonicalJson } from '../libs/event-store/src';
import { migrate, PostgresEventStore } from '../libs/event-store/src/adapters/postgres';
import { benchEvent, median } from './bench-support';

const URL = process.env.PG_BENCH_URL ?? process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Math.max(3, Number(process.env.RUNS ?? 3));
const APPENDS = Number(process.env.APPENDS ?? 6000);
const SEQUENTIAL_APPENDS = Number(process.env.SEQUENTIAL_APPENDS ?? 1500);
const WRITERS = 64;
const POOL_SIZE = 10;

const now = () => new Date();
const event = benchEvent;

const schemas: string[] = [];
function freshSchema(label: string): string {
  const schema = `es_bench_${label}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

async function oursSequential(admin: Pool): Promise<number> {
  const schema = freshSchema('seq');
  await migrate(admin, schema);
  const store = new EventStore(
    new PostgresEventStore({ connectionString: URL, now, schema, poolSize: POOL_SIZE }),
  );
  await store.ping();
  const started = performance.now();
  for (let i = 0; i < SEQUENTIAL_APPENDS; i++)
    await store.append(`application-${i}`, [event(i)], 'no-stream');
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return SEQUENTIAL_APPENDS / seconds;
}

async function oursConcurrent(admin: Pool): Promise<{ rate: number; batches: number }> {
  const schema = freshSchema('w64');
  await migrate(admin, schema);
  const store = new EventStore(
    new PostgresEventStore({ connectionString: URL, now, schema, poolSize: POOL_SIZE }),
  );
  await store.ping();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = next++; i < APPENDS; i = next++)
        await store.append(`application-${i}`, [event(i)], 'no-stream');
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  // Rows inserted by one transaction share its xmin: the number of transactions that wrote them.
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(DISTINCT xmin::text) AS n FROM "${schema}".events`,
  );
  return { rate: APPENDS / seconds, batches: Number(rows[0].n) };
}

/** A row as our adapter stores it: same columns, same sizes. */
function rawRow(i: number) {
  const e = event(i);
  const recordedAt = new Date().toISOString();
  return {
    id: randomUUID(),
    stream: `application-${i}`,
    type: e.type,
    data: canonicalJson(e.data),
    metadata: JSON.stringify({ ...e.metadata, recordedAt }),
    recordedAt,
    hash: createHash('sha256').update(String(i)).digest('hex'),
  };
}
type RawRow = ReturnType<typeof rawRow>;

/** 64 writers, one row each at a time; rows batched per event-loop turn into one INSERT. */
async function rawBatched(admin: Pool): Promise<number> {
  const schema = freshSchema('raw');
  await migrate(admin, schema);
  const pool = new Pool({ connectionString: URL, max: POOL_SIZE });
  const insert = `INSERT INTO "${schema}".events
      (position, id, stream, revision, type, schema_version, data, metadata, recorded_at, hash)
    SELECT nextval('"${schema}".events_position_seq'), r.id, r.stream, 0, r.type, 1, r.data, r.metadata, r.recorded_at, r.hash
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
      AS r(id, stream, type, data, metadata, recorded_at, hash)`;
  let queue: { row: RawRow; done: (error?: unknown) => void }[] = [];
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    const rows = batch.map((item) => item.row);
    try {
      await pool.query(insert, [
        rows.map((r) => r.id),
        rows.map((r) => r.stream),
        rows.map((r) => r.type),
        rows.map((r) => r.data),
        rows.map((r) => r.metadata),
        rows.map((r) => r.recordedAt),
        rows.map((r) => r.hash),
      ]);
      for (const item of batch) item.done();
    } catch (error) {
      for (const item of batch) item.done(error);
    }
  };
  const write = (row: RawRow) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ row, done: (error) => (error ? reject(error) : resolve()) });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });
  await pool.query('SELECT 1');
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = next++; i < APPENDS; i = next++) await write(rawRow(i));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return APPENDS / seconds;
}

/** 64 writers, one autocommit INSERT per row over the same pool size. */
async function rawSingle(admin: Pool): Promise<number> {
  const schema = freshSchema('single');
  await migrate(admin, schema);
  const pool = new Pool({ connectionString: URL, max: POOL_SIZE });
  const insert = `INSERT INTO "${schema}".events
      (position, id, stream, revision, type, schema_version, data, metadata, recorded_at, hash)
    VALUES (nextval('"${schema}".events_position_seq'), $1, $2, 0, $3, 1, $4, $5, $6, $7)`;
  await pool.query('SELECT 1');
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = next++; i < APPENDS; i = next++) {
        const r = rawRow(i);
        await pool.query(insert, [r.id, r.stream, r.type, r.data, r.metadata, r.recordedAt, r.hash]);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return APPENDS / seconds;
}

async function main(): Promise<void> {
  const admin = new Pool({ connectionString: URL, max: 2 });
  const samples: Record<string, number[]> = { seq: [], w64: [], raw: [], single: [], batchSize: [] };
  console.log(
    `bench:store postgres — ${RUNS} runs, ${APPENDS} appends per 64-writer run, ${SEQUENTIAL_APPENDS} per 1-writer run`,
  );
  try {
    for (let run = 1; run <= RUNS; run++) {
      samples.raw.push(await rawBatched(admin));
      const w64 = await oursConcurrent(admin);
      samples.w64.push(w64.rate);
      samples.batchSize.push(APPENDS / w64.batches);
      samples.seq.push(await oursSequential(admin));
      samples.single.push(await rawSingle(admin));
      process.stderr.write(
        `  run ${run}/${RUNS}: ${samples.w64[run - 1].toFixed(0)} vs ${samples.raw[run - 1].toFixed(0)}\n`,
      );
    }
  } finally {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const rows = [
    ['appends/s, 1 writer', m.seq, m.seq / m.raw, ''],
    ['appends/s, 64 writers', m.w64, m.w64 / m.raw, '>= 0.50x batched raw inserts'],
    ['baseline: raw batched insert/s, 64 writers', m.raw, 1, ''],
    ['context: raw single-row insert/s, 64 writers', m.single, m.single / m.raw, ''],
  ] as const;
  console.log('');
  console.log('| measure | median | ratio | target |');
  console.log('|---|---:|---:|---|');
  for (const [name, value, ratio, target] of rows) {
    console.log(`| ${name} | ${Math.round(value).toLocaleString('en')} | ${ratio.toFixed(2)}x | ${target} |`);
  }
  console.log(`\nmean appends per transaction (ours, 64 writers): ${m.batchSize.toFixed(1)}`);
  const met = m.w64 / m.raw >= 0.5;
  console.log(
    `64-writer target ${met ? 'MET' : 'MISSED'} (${((100 * m.w64) / m.raw).toFixed(0)}% of raw batched inserts)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
