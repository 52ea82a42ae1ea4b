/**
 * npm run bench:read — read models on SQLite, in one run, over APPLICATIONS applications' worth
 * of events (default 100,000: registrations, rounds, creations, submissions, district and city
 * reviews, about 4 events per application):
 *
 *   baseline read+parse/s     raw better-sqlite3 SELECT of every event with JSON.parse of data
 *                             and metadata: the floor any rebuild has to stand on
 *   rebuild events/s          `rebuildProjections` of every projection into a fresh read-model
 *                             file in one pass over the store (as the CLI does): store events
 *                             covered per second of wall time, and the ratio to the baseline;
 *                             `rebuildPostgres` the same into a fresh PostgreSQL schema
 *                             (READ_MODEL_URL, default postgres://postgres@127.0.0.1:5432/test);
 *                             `rebuildCore` the same for applications, enterprises and rounds
 *                             only (the projections there were when the target was set)
 *   worklist p50/p95/p99      `queryWorklist` for random officers (city, district, province) with
 *                             random filters, first pages and cursor pages, limit 50
 *   as-of p50/p95/p99         one application as it stood at a random instant: readStream(until)
 *                             folded with the decider
 *
 * Each rate is also given per CPU second of this process (`...PerCpuSecond`, `cpuRatioToBaseline`):
 * on a shared machine wall time mostly measures the neighbours. The PostgreSQL rebuild's CPU
 * figure (`clientEventsPerCpuSecond`) is this process's alone (the server's work is in another).
 *
 * Targets (issue 7): rebuild >= 100,000 events/s; worklist p95 < 20 ms; as-of p95 < 5 ms.
 * The machine may be shared: read the ratios as well as the figures.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { EventStore, type NewEvent } from '../libs/event-store/src';
import { SqliteEventStore } from '../libs/event-store/src/adapters/sqlite/sqlite-event-store';
import { applicationDecider } from '../libs/incubation/src/domain/application/application.decider';
import type { ApplicationEvent } from '../libs/incubation/src/domain/application/application.events';
import { fold } from '../libs/incubation/src/domain/shared/domain-event';
import { ReadModelDatabase } from '../libs/read-models/src/database';
import { PROJECTIONS } from '../libs/read-models/src/projections';
import { queryWorklist } from '../libs/read-models/src/queries/worklist.query';
import { rebuildProjections } from '../libs/read-models/src/runner/rebuild';
import { payload } from './bench-support';

const APPLICATIONS = Number(process.env.APPLICATIONS ?? 100_000);
/** Where the PostgreSQL rebuild goes (POSTGRES=0 skips it). */
const PG_URL =
  process.env.READ_MODEL_URL ?? process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUERIES = Number(process.env.QUERIES ?? 2000);
const ROUNDS = 20;
const CONCURRENCY = 2000;

const CITIES = {
  'js.wuxi': ['js.wuxi.xinwu', 'js.wuxi.liangxi', 'js.wuxi.binhu', 'js.wuxi.huishan'],
  'js.suzhou': ['js.suzhou.sip', 'js.suzhou.wuzhong', 'js.suzhou.gusu'],
} as const;
const CITY_NAMES = Object.keys(CITIES) as (keyof typeof CITIES)[];
const PROGRAMMES = ['eaglet', 'gazelle', 'quasi-unicorn'];

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

async function generate(store: EventStore, clock: { now: Date }) {
  const event = (type: string, data: unknown): NewEvent => ({
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { sub: 'bench', role: 'officer' },
      occurredAt: clock.now.toISOString(),
    },
  });
  const inParallel = async (count: number, work: (i: number) => Promise<unknown> | undefined) => {
    for (let start = 0; start < count; start += CONCURRENCY) {
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, count - start) }, (_, k) => work(start + k)),
      );
    }
  };
  const rounds = Array.from({ length: ROUNDS }, (_, r) => ({
    id: `round-${r}`,
    city: CITY_NAMES[r % CITY_NAMES.length],
    programme: PROGRAMMES[r % PROGRAMMES.length],
  }));
  const phase = () => (clock.now = new Date(clock.now.getTime() + 86_400_000));
  const instants: string[] = [];
  await inParallel(ROUNDS, (r) =>
    store.append(
      `round-${rounds[r].id}`,
      [
        event('RoundCreated', {
          roundId: rounds[r].id,
          programme: rounds[r].programme,
          year: 2026,
          batch: r + 1,
          title: `第${r + 1}批`,
          jurisdiction: rounds[r].city,
          opensAt: '2026-03-01T00:00:00+08:00',
          closesAt: '2026-04-30T17:00:00+08:00',
          quota: null,
          policyVersion: `${rounds[r].programme}/wuxi-2024`,
        }),
      ],
      'no-stream',
    ),
  );
  // Two applications per enterprise, each in a round of its enterprise's city.
  const apps = Array.from({ length: APPLICATIONS }, (_, i) => {
    const city = CITY_NAMES[Math.floor(i / 2) % CITY_NAMES.length];
    const round = pick(rounds.filter((r) => r.city === city));
    return {
      id: `app-${i}`,
      code: `E${String(Math.floor(i / 2)).padStart(17, '0')}`,
      district: CITIES[city][Math.floor(i / 2) % CITIES[city].length],
      round,
      status: 'draft',
      revision: 0,
    };
  });
  await inParallel(Math.ceil(APPLICATIONS / 2), (e) =>
    store.append(
      `enterprise-${apps[e * 2].code}`,
      [
        event('EnterpriseRegistered', {
          creditCode: apps[e * 2].code,
          name: `基准企业${e}有限公司`,
          jurisdiction: apps[e * 2].district,
          establishedOn: '2019-05-20',
        }),
      ],
      'no-stream',
    ),
  );
  phase();
  await inParallel(APPLICATIONS, (i) =>
    store.append(
      `application-${apps[i].id}`,
      [
        event('ApplicationCreated', {
          applicationId: apps[i].id,
          roundId: apps[i].round.id,
          programme: apps[i].round.programme,
          policyVersion: `${apps[i].round.programme}/wuxi-2024`,
          creditCode: apps[i].code,
          jurisdiction: apps[i].district,
          roundJurisdiction: apps[i].round.city,
          data: payload(i),
        }),
      ],
      'no-stream',
    ),
  );
  instants.push(clock.now.toISOString());
  phase();
  const step = async (i: number, type: string, data: unknown, status: string) => {
    const app = apps[i];
    await store.append(`application-${app.id}`, [event(type, data)], app.revision);
    app.revision++;
    app.status = status;
  };
  await inParallel(APPLICATIONS, (i) =>
    random() < 0.9
      ? step(
          i,
          'ApplicationSubmitted',
          {
            data: payload(i),
            eligibility: { eligible: true, checks: [] },
            policyVersion: 'x',
            resubmission: false,
          },
          'submitted',
        )
      : undefined,
  );
  instants.push(clock.now.toISOString());
  phase();
  await inParallel(APPLICATIONS, (i) => {
    if (apps[i].status !== 'submitted') return undefined;
    const roll = random();
    if (roll < 0.6)
      return step(i, 'ApplicationRecommended', { stage: 'district', reason: '同意' }, 'recommended');
    if (roll < 0.8)
      return step(
        i,
        'ApplicationReturned',
        { stage: 'district', reason: '补充', respondBy: '2026-03-20' },
        'returned',
      );
    if (roll < 0.9)
      return step(i, 'ApplicationRejected', { stage: 'district', reason: '不符合' }, 'rejected');
    return undefined;
  });
  instants.push(clock.now.toISOString());
  phase();
  await inParallel(APPLICATIONS, (i) =>
    apps[i].status === 'recommended' && random() < 0.5
      ? step(i, 'ApplicationAcceptedForExpertReview', { stage: 'city', reason: '同意' }, 'in-expert-review')
      : undefined,
  );
  instants.push(clock.now.toISOString());
  return { apps, instants };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-read-'));
  const clock = { now: new Date('2026-03-02T02:00:00.000Z') };
  // STORE=path keeps the generated store there and uses it again on the next run with the same
  // APPLICATIONS (before/after comparisons on the same events, without generating them again).
  const storeFile = process.env.STORE ?? join(dir, 'events.sqlite');
  const reused = process.env.STORE && existsSync(`${storeFile}.json`);
  const store = new EventStore(
    new SqliteEventStore({ file: storeFile, now: () => clock.now, synchronous: 'NORMAL' }),
  );
  try {
    let started = performance.now();
    const { apps, instants } = reused
      ? (JSON.parse(readFileSync(`${storeFile}.json`, 'utf8')) as Awaited<ReturnType<typeof generate>>)
      : await generate(store, clock);
    if (process.env.STORE && !reused) writeFileSync(`${storeFile}.json`, JSON.stringify({ apps, instants }));
    const events = await store.headPosition();
    console.log(
      reused
        ? `reusing ${events} events of ${storeFile}`
        : `generated ${events} events for ${APPLICATIONS} applications in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // Baseline: raw read and parse of every event.
    const raw = new Database(storeFile, { readonly: true });
    started = performance.now();
    const cpu = process.cpuUsage();
    let parsed = 0;
    for (const row of raw.prepare('SELECT * FROM events ORDER BY position').iterate() as Iterable<{
      data: string;
      metadata: string;
    }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      parsed++;
    }
    const baselinePerSecond = parsed / ((performance.now() - started) / 1000);
    const baselinePerCpuSecond = parsed / cpuSeconds(cpu);
    raw.close();

    // Rebuild every projection into a fresh read-model file, as `npm run cli -- rebuild` does:
    // one pass over the store feeds every projection. Then, for comparison with figures taken
    // before the timeline projection existed, the same for the first three projections alone
    // into another fresh file.
    const rebuildInto = async (file: string, projections: typeof PROJECTIONS) => {
      const target = await ReadModelDatabase.open({ dialect: 'sqlite', file: join(dir, file) });
      const t = performance.now();
      const cpu = process.cpuUsage();
      const results = await rebuildProjections({ store, db: target, projections });
      const seconds = (performance.now() - t) / 1000;
      return { target, seconds, cpuSeconds: cpuSeconds(cpu), results };
    };
    const core = PROJECTIONS.filter((p) => ['applications', 'enterprises', 'rounds'].includes(p.name));
    const coreRun = await rebuildInto('read-models-core.sqlite', core);
    await coreRun.target.close();
    const full = await rebuildInto('read-models.sqlite', PROJECTIONS);
    const db = full.target;
    const rebuildSeconds = full.seconds;
    const rebuilt = full.results;
    const rebuildPerSecond = events / rebuildSeconds;
    const corePerSecond = events / coreRun.seconds;
    const perProjection = Object.fromEntries(rebuilt.map((r) => [r.projection, { events: r.events }]));

    // The same rebuild of every projection into PostgreSQL (a schema of its own, dropped after).
    let postgres:
      | {
          storeEventsPerSecond: number;
          seconds: number;
          ratioToBaseline: number;
          clientEventsPerCpuSecond: number;
        }
      | string = 'skipped (POSTGRES=0)';
    if (process.env.POSTGRES !== '0') {
      const schema = `bench_read_${process.pid}`;
      try {
        const target = await ReadModelDatabase.open({ dialect: 'postgres', url: PG_URL, schema });
        try {
          const t = performance.now();
          const cpu = process.cpuUsage();
          await rebuildProjections({ store, db: target, projections: PROJECTIONS });
          const seconds = (performance.now() - t) / 1000;
          postgres = {
            storeEventsPerSecond: Math.round(events / seconds),
            seconds: Number(seconds.toFixed(2)),
            ratioToBaseline: Number((events / seconds / baselinePerSecond).toFixed(2)),
            // This process only (reading the store, folding, encoding rows): the server's work is apart.
            clientEventsPerCpuSecond: Math.round(events / cpuSeconds(cpu)),
          };
        } finally {
          await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(target.writer);
          await target.close();
        }
      } catch (error) {
        postgres = `failed: ${(error as Error).message}`;
      }
    }

    // Worklist queries.
    const officers = ['js', ...CITY_NAMES, ...Object.values(CITIES).flat()];
    const worklist: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const jurisdiction = pick(officers);
      const filter = pick([
        {},
        { programme: pick(PROGRAMMES) },
        { status: pick(['submitted', 'recommended']) },
        { roundId: `round-${Math.floor(random() * ROUNDS)}` },
      ]);
      const t = performance.now();
      const first = await queryWorklist(db.reader, { jurisdiction, limit: 50, ...filter });
      if (q % 4 === 0 && first.next) {
        await queryWorklist(db.reader, { jurisdiction, limit: 50, ...filter, cursor: first.next });
      }
      worklist.push(performance.now() - t);
    }

    // As-of reconstruction of one application.
    const asOf: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const app = pick(apps);
      const until = pick(instants);
      const t = performance.now();
      const history = await store.readStream(`application-${app.id}`, { until });
      fold(
        applicationDecider,
        history.map((e) => ({ type: e.type, data: e.data }) as ApplicationEvent),
      );
      asOf.push(performance.now() - t);
    }
    await db.close();

    const results = {
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      applications: APPLICATIONS,
      events,
      baselineReadParsePerSecond: Math.round(baselinePerSecond),
      baselineReadParsePerCpuSecond: Math.round(baselinePerCpuSecond),
      rebuild: {
        projections: PROJECTIONS.map((p) => p.name),
        storeEventsPerSecond: Math.round(rebuildPerSecond),
        seconds: Number(rebuildSeconds.toFixed(2)),
        ratioToBaseline: Number((rebuildPerSecond / baselinePerSecond).toFixed(2)),
        storeEventsPerCpuSecond: Math.round(events / full.cpuSeconds),
        cpuRatioToBaseline: Number((events / full.cpuSeconds / baselinePerCpuSecond).toFixed(2)),
        perProjection,
      },
      rebuildPostgres: postgres,
      rebuildCore: {
        projections: core.map((p) => p.name),
        storeEventsPerSecond: Math.round(corePerSecond),
        seconds: Number(coreRun.seconds.toFixed(2)),
        ratioToBaseline: Number((corePerSecond / baselinePerSecond).toFixed(2)),
      },
      worklistMs: mapValues(percentiles(worklist)),
      asOfMs: mapValues(percentiles(asOf)),
      targets: {
        rebuildAtLeast100kEventsPerSecond: rebuildPerSecond >= 100_000,
        rebuildCoreAtLeast100kEventsPerSecond: corePerSecond >= 100_000,
        worklistP95Under20ms: percentiles(worklist).p95 < 20,
        asOfP95Under5ms: percentiles(asOf).p95 < 5,
      },
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/read.json', `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await store.close();
    if (process.env.KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) of this process since `since`: steadier than wall time on a shared machine. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function mapValues(record: Record<string, number>) {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Number(v.toFixed(2))]));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
