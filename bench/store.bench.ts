/**
 * npm run bench:store — the embedded event store against raw better-sqlite3, in one run.
 *
 *   appends/s, 1 writer          our append, one event per call, awaited one after another
 *   appends/s, 64 writers        64 concurrent callers, one event per call (group commit)
 *   baseline insert/s            raw INSERT, one transaction per insert, same durability
 *                                (WAL, synchronous=FULL), same row content
 *   readAll events/s             our readAll in pages of 1000, events upcast and returned
 *   baseline read+parse/s        raw SELECT of the same rows with JSON.parse of data and metadata
 *
 * Every figure is the median of RUNS runs; the machine is shared, so read the ratios.
 * Targets (issue 2): 64 writers >= 2x baseline inserts; readAll >= 50% of raw read+parse.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../libs/event-store/src';
import { SqliteEventStore } from '../libs/event-store/src/adapters/sqlite/sqlite-event-store';
import { benchEvent, median } from './bench-support';

const RUNS = Number(process.env.RUNS ?? 5);
const APPENDS = Number(process.env.APPENDS ?? 2000);
const READ_EVENTS = Number(process.env.READ_EVENTS ?? 50_000);

const now = () => new Date();
const event = benchEvent;

function freshFile(dir: string, name: string): string {
  const file = join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return file;
}

async function oursSequential(dir: string): Promise<number> {
  const store = new EventStore(new SqliteEventStore({ file: freshFile(dir, 'seq.sqlite'), now }));
  const started = performance.now();
  for (let i = 0; i < APPENDS; i++) await store.append(`application-${i}`, [event(i)], 'no-stream');
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return APPENDS / seconds;
}

async function oursConcurrent(dir: string, writers: number): Promise<number> {
  const store = new EventStore(new SqliteEventStore({ file: freshFile(dir, 'conc.sqlite'), now }));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < APPENDS; i = next++)
        await store.append(`application-${i}`, [event(i)], 'no-stream');
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return APPENDS / seconds;
}

/** What a naive store does: one INSERT per transaction, same table, same durability. */
function rawInserts(dir: string): number {
  const file = freshFile(dir, 'raw.sqlite');
  // Same schema as ours, created through our migrations, so indexes match.
  new SqliteEventStore({ file, now }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(
    `INSERT INTO events (id, stream, revision, type, schema_version, data, metadata, recorded_at, hash)
     VALUES (?, ?, 0, 'ApplicationSubmitted', 1, ?, ?, ?, ?)`,
  );
  const one = db.transaction((i: number) => {
    const e = event(i);
    const recordedAt = new Date().toISOString();
    insert.run(
      crypto.randomUUID(),
      `application-${i}`,
      JSON.stringify(e.data),
      JSON.stringify({ ...e.metadata, recordedAt }),
      recordedAt,
      'x'.repeat(64),
    );
  });
  const started = performance.now();
  for (let i = 0; i < APPENDS; i++) one(i);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return APPENDS / seconds;
}

async function prepareReadFile(dir: string): Promise<string> {
  const file = freshFile(dir, 'read.sqlite');
  const store = new EventStore(new SqliteEventStore({ file, now, synchronous: 'NORMAL' }));
  const batch = 500;
  for (let i = 0; i < READ_EVENTS; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, READ_EVENTS - i) }, (_, k) =>
        store.append(`application-${(i + k) % 5000}`, [event(i + k)], 'any'),
      ),
    );
  }
  await store.close();
  return file;
}

async function oursReadAll(file: string): Promise<number> {
  const store = new EventStore(new SqliteEventStore({ file, now, readonly: true }));
  let after = 0;
  let count = 0;
  const started = performance.now();
  for (;;) {
    const page = await store.readAll({ after, limit: 1000 });
    count += page.events.length;
    if (page.isEnd) break;
    after = page.next;
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  if (count !== READ_EVENTS) throw new Error(`read ${count} events, expected ${READ_EVENTS}`);
  return count / seconds;
}

function rawReadAndParse(file: string): number {
  const db = new Database(file, { readonly: true });
  const select = db.prepare(
    'SELECT position, id, stream, revision, type, schema_version, data, metadata, hash FROM events WHERE position > ? ORDER BY position LIMIT 1000',
  );
  let after = 0;
  let count = 0;
  const started = performance.now();
  for (;;) {
    const rows = select.all(after) as { position: number; data: string; metadata: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    count += rows.length;
    after = rows[rows.length - 1].position;
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const samples: Record<string, number[]> = { seq: [], w64: [], raw: [], read: [], rawRead: [] };
  console.log(
    `bench:store — ${RUNS} runs, ${APPENDS} appends per write run, ${READ_EVENTS} events read per read run`,
  );
  const readFile = await prepareReadFile(dir);
  for (let run = 1; run <= RUNS; run++) {
    // Interleave ours and the baseline so drift in machine load hits both alike.
    samples.raw.push(rawInserts(dir));
    samples.seq.push(await oursSequential(dir));
    samples.w64.push(await oursConcurrent(dir, 64));
    samples.rawRead.push(rawReadAndParse(readFile));
    samples.read.push(await oursReadAll(readFile));
    process.stderr.write(`  run ${run}/${RUNS} done\n`);
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const rows = [
    ['appends/s, 1 writer', m.seq, m.seq / m.raw, ''],
    ['appends/s, 64 writers', m.w64, m.w64 / m.raw, '>= 2.00x baseline inserts'],
    ['baseline: raw insert/s (1 tx each)', m.raw, 1, ''],
    ['readAll events/s', m.read, m.read / m.rawRead, '>= 0.50x raw read+parse'],
    ['baseline: raw read+parse/s', m.rawRead, 1, ''],
  ] as const;
  console.log('');
  console.log('| measure | median | ratio | target |');
  console.log('|---|---:|---:|---|');
  for (const [name, value, ratio, target] of rows) {
    console.log(`| ${name} | ${Math.round(value).toLocaleString('en')} | ${ratio.toFixed(2)}x | ${target} |`);
  }
  const verdict = {
    groupCommit: m.w64 / m.raw >= 2,
    readAll: m.read / m.rawRead >= 0.5,
  };
  console.log(
    `\ngroup commit target ${verdict.groupCommit ? 'MET' : 'MISSED'}; readAll target ${verdict.readAll ? 'MET' : 'MISSED'}`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/store.json',
    JSON.stringify({ at: new Date().toISOString(), runs: RUNS, samples, medians: m, verdict }, null, 2),
  );
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
