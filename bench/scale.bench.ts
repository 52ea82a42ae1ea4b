/**
 * npm run bench:scale -- --applications 100000|1000000 [--data-dir DIR] [--queries N]
 *
 * The read side at scale (issue 22, target 3), over the api as a client meets it, each figure
 * beside a baseline measured in the same run on the same data:
 *
 *   worklist p50/p95          GET /v1/worklist?limit=50 for random officers (city, districts) with
 *                             random filters, a quarter followed by their next page;
 *                             baseline: `queryWorklist` alone, in this process, on the same
 *                             read-model file (the SQL and its row mapping, no HTTP)
 *   round table p50/p95       GET /v1/rounds/:id/applications?limit=50 (the officers' round
 *                             table): random round, sort, status or district filter and page;
 *                             baseline: `queryRoundApplicationsPage` alone, same file
 *   as-of p50/p95             GET /v1/applications/:id?asOf=<instant> for random applications at
 *                             random instants of the data's history; baseline: the stream read
 *                             up to the instant and folded by the decider, in this process
 *   HTTP floor                GET /health/live in the same loop: what any request costs here
 *   api CPU per request       the api process's user + system time (/proc/<pid>/stat) over each
 *                             read's draws, divided by their number: what a request costs the
 *                             server, which the machine's load does not inflate
 *   api RSS under load        the api process's resident memory (/proc, VmRSS) sampled while
 *                             16 connections ask the three reads for LOAD_SECONDS (default
 *                             10): its peak, beside its RSS idle after start-up
 *
 * The data is made by bench/generate.ts (the event store port, then the CLI's rebuild) into
 * --data-dir (default: the temp dir bench-scale-<N>), reused when it already holds N
 * applications. The api runs in a child process (createApiApp, embedded SQLite, manual
 * clock a week after the data's last event, no worker, rate limit off). Latencies are taken
 * one request at a time (the time of one read, not of a queue). Results also go to
 * bench/results/scale-<N>.json, so 100k and 1M can be put side by side.
 *
 * Targets (issue 22, at 1,000,000 applications): worklist p95 < 20 ms, round table p95 < 50 ms,
 * as-of p95 < 5 ms, api RSS under load < 400 MB.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { Command, Option } from 'commander';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApiApp } from '../apps/api/src/app.factory';
import { EventStore } from '../libs/event-store/src';
import { SqliteEventStore } from '../libs/event-store/src/adapters/sqlite/sqlite-event-store';
import { applicationDecider } from '../libs/incubation/src/domain/application/application.decider';
import type { ApplicationEvent } from '../libs/incubation/src/domain/application/application.events';
import { fold } from '../libs/incubation/src/domain/shared/domain-event';
import {
  DEVELOPMENT_JWT_SECRET,
  loadConfig,
  ManualClock,
  type Principal,
  signToken,
} from '../libs/platform/src';
import { ReadModelDatabase } from '../libs/read-models/src/database';
import { queryRoundApplicationsPage } from '../libs/read-models/src/queries/round-applications.query';
import { queryWorklist } from '../libs/read-models/src/queries/worklist.query';
import { CITY, DISTRICTS, generate, GENERATED_FILE, type GeneratedData } from './generate';

/** The api's clock: a week after the generated history (tokens are signed for it). */
const NOW = '2026-03-13T02:00:00.000Z';
const ROOT = resolve(__dirname, '..', '..');

let seed = 11;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];

export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const round = (x: number) => Number(x.toFixed(2));
  return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), n: samples.length };
}

/** The api, in a child process so its memory is its own. */
async function serve(dataDir: string): Promise<void> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    LOG_LEVEL: 'silent',
    SQLITE_SYNCHRONOUS: 'NORMAL',
    RATE_LIMIT_ENABLED: 'false',
    POLICIES_DIR: join(ROOT, 'policies'),
    QUEUE_PREFIX: `{bench-scale-${process.pid}}`,
  });
  const app = await createApiApp(config, {
    clock: new ManualClock(new Date(NOW)),
    logger: false,
    withWorker: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ port: (app.getHttpServer().address() as AddressInfo).port });
  process.on('message', (message) => {
    if (message === 'stop') void app.close().finally(() => process.exit(0));
  });
}

/** CPU time (user + system) a process has used, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) in parentheses: utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function main(): Promise<void> {
  const program = new Command('bench:scale')
    .addOption(
      new Option('--applications <n>', 'applications in the data').default(100_000).argParser(Number),
    )
    .option('--data-dir <dir>', 'where the generated data is (made there when missing)')
    .addOption(new Option('--queries <n>', 'requests per read measured').default(400).argParser(Number))
    .addOption(
      new Option('--load-seconds <n>', 'seconds of load for the RSS figure').default(10).argParser(Number),
    );
  program.parse();
  const opts = program.opts<{
    applications: number;
    dataDir?: string;
    queries: number;
    loadSeconds: number;
  }>();
  const dataDir = resolve(opts.dataDir ?? join(tmpdir(), `bench-scale-${opts.applications}`));
  const generatedFile = join(dataDir, GENERATED_FILE);
  let data: GeneratedData;
  if (existsSync(generatedFile)) {
    data = JSON.parse(readFileSync(generatedFile, 'utf8')) as GeneratedData;
    if (data.applications !== opts.applications)
      throw new Error(`${dataDir} holds ${data.applications} applications, not ${opts.applications}`);
    console.log(`reusing ${dataDir}: ${data.applications} applications, ${data.events} events`);
  } else {
    data = await generate({ dataDir, applications: opts.applications });
  }

  const server = fork(__filename, ['--serve', dataDir], { stdio: 'inherit' });
  const store = new EventStore(
    new SqliteEventStore({ file: join(dataDir, 'events.sqlite'), now: () => new Date(NOW), readonly: true }),
  );
  const db = await ReadModelDatabase.open({ dialect: 'sqlite', file: join(dataDir, 'read-models.sqlite') });
  try {
    const { port } = await new Promise<{ port: number }>((done, fail) => {
      server.once('message', (message) => done(message as { port: number }));
      server.once('exit', (code) => fail(new Error(`the api exited (${code}) before listening`)));
    });
    const origin = `http://127.0.0.1:${port}`;
    const idleRss = rssOf(server.pid!);
    const officers: Principal[] = [
      { sub: 'officer-wuxi', role: 'officer', jurisdiction: CITY },
      ...DISTRICTS.map((d): Principal => ({ sub: `officer-${d}`, role: 'officer', jurisdiction: d })),
    ];
    const tokens = new Map<string, string>();
    for (const p of officers)
      tokens.set(
        p.sub,
        `Bearer ${await signToken(p, DEVELOPMENT_JWT_SECRET, { now: new Date(NOW), expiresIn: '12h' })}`,
      );
    const get = async (path: string, as: Principal) => {
      const res = await fetch(origin + path, { headers: { authorization: tokens.get(as.sub)! } });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const timed = async (work: () => Promise<unknown>) => {
      const t = performance.now();
      await work();
      return performance.now() - t;
    };
    /**
     * The api's CPU time per read (its process's user + system time over all the draws of one
     * read, divided by their number): what a request costs the server, whatever the load.
     */
    const apiCpuMs = new Map<string, number>();
    const onApi = async (read: string, work: () => Promise<unknown>) => {
      const cpu = cpuMsOf(server.pid!);
      const ms = await timed(work);
      apiCpuMs.set(read, (apiCpuMs.get(read) ?? 0) + cpuMsOf(server.pid!) - cpu);
      return ms;
    };
    const qs = (params: Record<string, string | number | undefined>) =>
      new URLSearchParams(
        Object.entries(params)
          .filter((e): e is [string, string | number] => e[1] !== undefined)
          .map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();

    // The three reads, each drawn at random; the same draw measured over HTTP and as the baseline.
    const worklistDraw = () => {
      const officer = pick(officers);
      const filter = pick([
        {},
        { programme: pick(['eaglet', 'gazelle', 'quasi-unicorn']) },
        { status: pick(['submitted', 'recommended']) },
        { roundId: pick(data.rounds).id },
      ]);
      return { officer, filter, next: random() < 0.25 };
    };
    const roundDraw = () => {
      const officer = random() < 0.5 ? officers[0] : pick(officers.slice(1));
      const round = pick(data.rounds);
      const filter = pick([
        {},
        {},
        { status: pick(['submitted', 'recommended', 'returned']) },
        // The district filter is the city officer's: a district officer sees only their own.
        officer === officers[0] ? { district: pick(DISTRICTS) } : {},
      ]);
      const sort = pick(['created', 'created', '-created', 'name', 'status', '-since'] as const);
      // Mostly the first pages, sometimes deep (an officer jumping to page 200).
      const offset = random() < 0.8 ? Math.floor(random() * 5) * 50 : Math.floor(random() * 200) * 50;
      return { officer, round, filter, sort, offset };
    };
    const asOfDraw = () => ({ app: pick(data.sample), until: pick(data.instants) });

    const measure = async () => {
      const worklist = { api: [] as number[], baseline: [] as number[] };
      const table = { api: [] as number[], baseline: [] as number[] };
      /** The HTTP floor: GET /health/live (no auth, no data), what any request costs here. */
      const floor: number[] = [];
      /** The round table's api times by sort (what costs what). */
      const bySort = new Map<string, number[]>();
      const asOf = { api: [] as number[], baseline: [] as number[] };
      for (let q = 0; q < opts.queries; q++) {
        // Worklist.
        const w = worklistDraw();
        const wq = {
          limit: 50,
          programme: (w.filter as { programme?: string }).programme,
          status: (w.filter as { status?: string }).status,
        };
        const roundId = (w.filter as { roundId?: string }).roundId;
        worklist.api.push(
          await onApi('worklist', async () => {
            const page = await get(`/v1/worklist?${qs({ ...wq, round: roundId })}`, w.officer);
            if (w.next && page.next)
              await get(
                `/v1/worklist?${qs({ ...wq, round: roundId, cursor: page.next as string })}`,
                w.officer,
              );
          }),
        );
        worklist.baseline.push(
          await timed(async () => {
            const query = { jurisdiction: w.officer.jurisdiction!, ...wq, roundId };
            const page = await queryWorklist(db.reader, query);
            if (w.next && page.next) await queryWorklist(db.reader, { ...query, cursor: page.next });
          }),
        );
        // Round table.
        const r = roundDraw();
        const within = r.officer.jurisdiction === CITY ? undefined : r.officer.jurisdiction;
        const tableTime = await onApi('table', () =>
          get(
            `/v1/rounds/${r.round.id}/applications?${qs({ limit: 50, sort: r.sort, offset: r.offset, ...r.filter })}`,
            r.officer,
          ),
        );
        table.api.push(tableTime);
        bySort.set(r.sort, [...(bySort.get(r.sort) ?? []), tableTime]);
        table.baseline.push(
          await timed(() =>
            queryRoundApplicationsPage(db.reader, {
              roundId: r.round.id,
              within,
              sort: r.sort,
              offset: r.offset,
              limit: 50,
              ...r.filter,
            }),
          ),
        );
        floor.push(await onApi('floor', () => get('/health/live', officers[0])));
        // As of.
        const a = asOfDraw();
        asOf.api.push(
          await onApi('asOf', () =>
            get(`/v1/applications/${a.app.id}?${qs({ asOf: a.until })}`, officers[0]),
          ),
        );
        asOf.baseline.push(
          await timed(async () => {
            const history = await store.readStream(`application-${a.app.id}`, { until: a.until });
            fold(
              applicationDecider,
              history.map((e) => ({ type: e.type, data: e.data }) as ApplicationEvent),
            );
          }),
        );
      }
      return { worklist, table, asOf, bySort, floor };
    };
    // Warm-up (caches, JIT), then the measured pass.
    const saved = opts.queries;
    opts.queries = Math.min(50, saved);
    await measure();
    opts.queries = saved;
    apiCpuMs.clear();
    const load1 = loadavg()[0];
    const samples = await measure();

    // RSS under load: 16 connections over the three reads, sampled every 100 ms.
    const paths = Array.from({ length: 60 }, (_, k) => {
      if (k % 3 === 0) {
        const w = worklistDraw();
        return {
          path: `/v1/worklist?${qs({ limit: 50, ...w.filter, roundId: undefined, round: (w.filter as { roundId?: string }).roundId })}`,
          who: w.officer,
        };
      }
      if (k % 3 === 1) {
        const r = roundDraw();
        return {
          path: `/v1/rounds/${r.round.id}/applications?${qs({ limit: 50, sort: r.sort, offset: r.offset, ...r.filter })}`,
          who: r.officer,
        };
      }
      const a = asOfDraw();
      return { path: `/v1/applications/${a.app.id}?${qs({ asOf: a.until })}`, who: officers[0] };
    });
    let peakRss = rssOf(server.pid!);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(server.pid!))), 100);
    const loaded = await autocannon({
      url: origin,
      connections: 16,
      duration: opts.loadSeconds,
      requests: paths.map((p) => ({
        method: 'GET',
        path: p.path,
        headers: { authorization: tokens.get(p.who.sub)! },
      })),
    });
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssOf(server.pid!));

    const MB = 1024 * 1024;
    const row = (name: string, s: { api: number[]; baseline: number[] }, target: number) => {
      const api = percentiles(s.api);
      const base = percentiles(s.baseline);
      return {
        name,
        api,
        baseline: base,
        ratioP95: Number((api.p95 / base.p95).toFixed(2)),
        targetP95Ms: target,
        met: api.p95 < target,
      };
    };
    const results = {
      at: new Date().toISOString(),
      node: process.version,
      loadAverage1m: Number(load1.toFixed(2)),
      applications: data.applications,
      events: data.events,
      largestRound: Math.max(...data.rounds.map((r) => r.applications)),
      httpFloorMs: percentiles(samples.floor),
      /** The api's mean CPU time per request of each read (ms), robust to the machine's load. */
      apiCpuMsPerRequest: Object.fromEntries(
        [...apiCpuMs].map(([read, ms]) => [read, Number((ms / opts.queries).toFixed(2))]),
      ),
      roundTableApiBySort: Object.fromEntries(
        [...samples.bySort].map(([sort, xs]) => [sort, percentiles(xs)]),
      ),
      reads: [
        row('worklist (first page, a quarter with its next page)', samples.worklist, 20),
        row("round's application table page", samples.table, 50),
        row('application as of an instant', samples.asOf, 5),
      ],
      rss: {
        idleMB: Number((idleRss / MB).toFixed(1)),
        peakUnderLoadMB: Number((peakRss / MB).toFixed(1)),
        targetMB: 400,
        met: peakRss < 400 * MB,
        loadRequestsPerSecond: Math.round(loaded.requests.average),
        loadErrors: loaded.errors + loaded.non2xx,
      },
    };
    console.log(
      `\nbench:scale — ${data.applications} applications, ${data.events} events, largest round ${results.largestRound}; ${opts.queries} draws each, one at a time; load average ${results.loadAverage1m}\n`,
    );
    console.log(
      ['read', 'api p50', 'api p95', 'baseline p50', 'baseline p95', 'ratio p95', 'target p95'].join('\t'),
    );
    for (const r of results.reads)
      console.log(
        [
          r.name,
          r.api.p50,
          r.api.p95,
          r.baseline.p50,
          r.baseline.p95,
          r.ratioP95,
          `< ${r.targetP95Ms} ms ${r.met ? 'met' : 'MISSED'}`,
        ].join('\t'),
      );
    console.log(
      `HTTP floor (GET /health/live): p50 ${results.httpFloorMs.p50} ms, p95 ${results.httpFloorMs.p95} ms`,
    );
    console.log(
      `api CPU per request (mean, ms): ${Object.entries(results.apiCpuMsPerRequest)
        .map(([read, ms]) => `${read} ${ms}`)
        .join('; ')}`,
    );
    console.log(
      `round table over the api by sort: ${Object.entries(results.roundTableApiBySort)
        .map(([sort, p]) => `${sort} p50 ${p.p50} p95 ${p.p95} (n ${p.n})`)
        .join('; ')}`,
    );
    console.log(
      `api RSS: ${results.rss.idleMB} MB idle, ${results.rss.peakUnderLoadMB} MB peak under load (${results.rss.loadRequestsPerSecond} req/s, ${results.rss.loadErrors} errors): target < 400 MB ${results.rss.met ? 'met' : 'MISSED'}`,
    );
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench', 'results', `scale-${data.applications}.json`),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  } finally {
    await db.close();
    await store.close();
    const exited = once(server, 'exit');
    if (server.connected) server.send('stop');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000)).then(() => server.kill())]);
  }
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
