/**
 * npm run bench:peer — our SQLite event store beside Emmett's (`@event-driven-io/emmett-sqlite`),
 * in one run, on the same events, each in a fresh file of its own. Emmett is installed apart, in
 * bench/peer (its own package.json and lockfile; the script runs `npm ci --prefix bench/peer`):
 * its peers (commander 12, uuid 10) clash with the engine's, and its sqlite3 compiles from
 * source where prebuilt binaries cannot be downloaded, which no engine install should pay for.
 *
 *   appends/s, 1 writer        one event per append, each to a new stream, awaited one by one
 *   appends/s, 64 writers      64 writers doing the same at once
 *   reads/s, 1 and 64 readers  readStream of one 20-event stream
 *
 * Both durable: ours with its default `synchronous = FULL`; Emmett with its documented
 * defaults (getSQLiteEventStore({ fileName }): WAL, SQLite's default FULL synchronous, schema
 * created on first use). Each measurement runs for DURATION_MS (default 5000) of wall time. A
 * failed operation (an error, a rejected promise) counts as a failure, never as speed: rates
 * count successes only, and each line gives the failures and the first error's message.
 *
 * Emmett's store logs each failed transaction with console.log; those lines are counted, not
 * printed. The machine may be shared: read the ratios (ours / Emmett's, same run).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { EventStore, type NewEvent } from '../libs/event-store/src';
import { SqliteEventStore } from '../libs/event-store/src/adapters/sqlite/sqlite-event-store';
import { payload } from './bench-support';

/** The part of Emmett's SQLite store this benchmark uses (its own types live in bench/peer). */
interface EmmettSqliteStore {
  appendToStream(stream: string, events: { type: string; data: unknown }[]): Promise<unknown>;
  readStream(stream: string): Promise<{ events: unknown[] }>;
}
const peerRequire = createRequire(resolve(__dirname, '../../bench/peer/package.json'));
const { getSQLiteEventStore } = peerRequire('@event-driven-io/emmett-sqlite') as {
  getSQLiteEventStore(options: { fileName: string }): EmmettSqliteStore;
};

const DURATION_MS = Number(process.env.DURATION_MS ?? 5000);
const WRITERS = 64;
const STREAM_EVENTS = 20;

/** What each store is asked to do; both get the same event type and data. */
interface Contender {
  name: string;
  append(stream: string, i: number): Promise<unknown>;
  read(stream: string): Promise<number>;
  close(): Promise<void>;
}

interface Measured {
  perSecond: number;
  ok: number;
  failed: number;
  firstError?: string;
}

const data = (i: number) => ({ applicationId: `app-${i}`, data: payload(i) });

function ours(file: string): Contender {
  const store = new EventStore(new SqliteEventStore({ file, now: () => new Date() }));
  const event = (i: number): NewEvent => ({
    type: 'ApplicationCreated',
    data: data(i),
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { sub: 'bench', role: 'officer' },
      occurredAt: new Date().toISOString(),
    },
  });
  return {
    name: 'ours (SqliteEventStore)',
    append: (stream, i) => store.append(stream, [event(i)], 'any'),
    read: async (stream) => (await store.readStream(stream)).length,
    close: () => store.close(),
  };
}

function emmett(file: string): Contender {
  // Its documented defaults: a file name and nothing else.
  const store = getSQLiteEventStore({ fileName: file });
  return {
    name: 'emmett-sqlite 0.38.5',
    append: (stream, i) => store.appendToStream(stream, [{ type: 'ApplicationCreated', data: data(i) }]),
    read: async (stream) => (await store.readStream(stream)).events.length,
    close: async () => undefined,
  };
}

/** Runs `work` from `workers` loops at once for DURATION_MS; counts what succeeded and failed. */
async function measure(
  workers: number,
  work: (worker: number, n: number) => Promise<unknown>,
): Promise<Measured> {
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let n = 0; performance.now() < end; n++) {
        try {
          await work(worker, n);
          ok++;
        } catch (error) {
          failed++;
          firstError ??= String((error as Error)?.message ?? error).slice(0, 160);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: Math.round(ok / seconds), ok, failed, ...(firstError ? { firstError } : {}) };
}

async function run(contender: Contender) {
  let sequence = 0;
  const appendOne = () => measure(1, () => contender.append(`application-s${sequence}`, sequence++));
  const appendMany = () =>
    measure(WRITERS, (w) => {
      const i = sequence++;
      return contender.append(`application-w${w}-${i}`, i);
    });
  const single = appendOne();
  const one = await single;
  const many = await appendMany();
  // One stream of STREAM_EVENTS events to read.
  for (let i = 0; i < STREAM_EVENTS; i++) await contender.append('application-read', i);
  const expected = async () => {
    const count = await contender.read('application-read');
    if (count !== STREAM_EVENTS) throw new Error(`read ${count} events of ${STREAM_EVENTS}`);
  };
  const readOne = await measure(1, expected);
  const readMany = await measure(WRITERS, expected);
  return { appends1: one, appends64: many, reads1: readOne, reads64: readMany };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
  const log = console.log;
  let emmettLogLines = 0;
  try {
    const our = await run(ours(join(dir, 'ours.sqlite')));
    // Emmett's transactions console.log the error of each one that fails: count, do not print.
    console.log = () => void emmettLogLines++;
    let their: Awaited<ReturnType<typeof run>>;
    try {
      their = await run(emmett(join(dir, 'emmett.sqlite')));
    } finally {
      console.log = log;
    }
    const ratio = (a: Measured, b: Measured) =>
      b.perSecond === 0
        ? a.perSecond > 0
          ? 'Emmett had no successes'
          : 'neither succeeded'
        : Number((a.perSecond / b.perSecond).toFixed(2));
    const results = {
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      durationMsPerMeasurement: DURATION_MS,
      ours: our,
      emmett: { ...their, consoleLogLinesSuppressed: emmettLogLines },
      ratiosOursToEmmett: {
        appends1Writer: ratio(our.appends1, their.appends1),
        appends64Writers: ratio(our.appends64, their.appends64),
        reads1Reader: ratio(our.reads1, their.reads1),
        reads64Readers: ratio(our.reads64, their.reads64),
      },
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/peer.json', `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
