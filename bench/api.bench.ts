/**
 * npm run bench:api — commands over HTTP against the real api, and a bare NestJS app, in one run.
 *
 *   create+submit     POST /v1/applications, then POST /v1/applications/:id/submit for the draft just
 *                     made: a chain of two requests per autocannon connection, looping. Each enterprise
 *                     token comes from a pool registered before measuring (round-robin, so an enterprise
 *                     may open more than one draft over the runs); the data passes the 2026 policies of
 *                     its programme (108 eaglet : 61 gazelle : 8 quasi-unicorn). Both requests count
 *                     as commands and their latencies are pooled.
 *   review            POST /v1/applications/:id/reviews (district recommend) by a district officer, each
 *                     application reviewed once. The applications come from the create+submit phases
 *                     plus a pool topped up over HTTP, untimed, before each review phase, sized from the
 *                     last review rate; a phase that uses its pool up stops early (reported), its rate
 *                     taken over the time it ran.
 *   baseline          a bare NestJS app on the same platform (FastifyAdapter, default JSON parser), one
 *                     controller answering a constant JSON; it is sent POSTs carrying the same headers
 *                     and the same body as a review command.
 *
 * The api is the one main.ts starts: createApiApp, embedded SQLite in a temp DATA_DIR with WAL and
 * synchronous=FULL (every acknowledged command is fsynced), CLOCK=manual at 2026-03-02T02:00:00Z so the
 * rounds are open, LOG_LEVEL silent. Both apps live in one child process on loopback ports; autocannon
 * runs in this process, so the load generator and the servers do not share an event loop.
 *
 * Each phase runs CONNECTIONS connections (32) for DURATION seconds; RUNS runs interleave baseline,
 * create+submit and review so drift in machine load hits all alike. Untimed warm-up phases come first.
 * Every figure is the median over the runs: commands/s = 2xx answers per second; p50/p99 are
 * computed from every 2xx response time (ms, sub-millisecond resolution). Any non-2xx answer or
 * connection error fails the benchmark (exit 1): a benchmark of errors is worthless.
 * CPU ms each: the server process's CPU time (process.cpuUsage, both apps and everything the api
 * does in the background meanwhile) per 2xx answer of the phase; its ratio (the bare app's CPU per
 * answer over ours) is what the rate ratio would be if the server had the cores to itself, and it
 * moves far less than rates when other work shares the machine.
 * Targets (issue 22): commands/s >= 25% of the bare app's rate, and p99 < 50 ms, with durable appends.
 * Each enterprise opens one application per round, and each programme has BATCHES rounds: when
 * every enterprise has applied, the next applications go to the next batch's round (a quiet
 * 2-core machine creates ~900 a second, so 12,000 enterprises in one round ran out, 409
 * APPLICATION_EXISTS, within one run). Environment: DURATION (s, 10), RUNS (3), WARMUP (s, 3),
 * CONNECTIONS (32), BATCHES (8), ENTERPRISES (12000; their
 * sample data repeats every 2,000, the samples leaving the policies' bounds after a few thousand),
 * PROFILE=1 writes a CPU profile of the server process to bench/results/profiles/.
 */
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApiApp } from '../apps/api/src/app.factory';
import { WUXI_FIRST_BATCH } from '../libs/incubation/src/testing/sample-applications';
import { median, policiesWithoutRequiredMaterials } from './bench-support';
import {
  creditCodeCheckCharacter,
  DEVELOPMENT_JWT_SECRET,
  loadConfig,
  ManualClock,
  type Principal,
  signToken,
} from '../libs/platform/src';

const DURATION = Number(process.env.DURATION ?? 10);
const RUNS = Number(process.env.RUNS ?? 3);
const WARMUP = Number(process.env.WARMUP ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const ENTERPRISES = Number(process.env.ENTERPRISES ?? 12000);
const PROFILE = process.env.PROFILE === '1';
const NOW = '2026-03-02T02:00:00.000Z';
const TARGET_RATIO = 0.25;
const TARGET_P99_MS = 50;
/**
 * Submitted applications kept back to serve the requests a review phase still sends after it is
 * stopped early (a stop takes effect at the next sample tick, SAMPLE_MS later).
 */
const RESERVE = 500;
const SAMPLE_MS = 50;

// ---------------------------------------------------------------------------------------------
// Server side (child process): the real api and the bare app.

const CONSTANT = { status: 'ok', service: 'bare' };

@Controller('constant')
class ConstantController {
  @Get()
  get() {
    return CONSTANT;
  }

  @Post()
  @HttpCode(200)
  post() {
    return CONSTANT;
  }
}

@Module({ controllers: [ConstantController] })
class BareModule {}

const portOf = (app: NestFastifyApplication) => (app.getHttpServer().address() as AddressInfo).port;

async function serve(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  const policies = policiesWithoutRequiredMaterials(dataDir);
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    LOG_LEVEL: 'silent',
    SQLITE_SYNCHRONOUS: 'FULL',
    // The limiter's Redis round trip is part of what is measured; its limit is not.
    RATE_LIMIT_MAX: '1000000',
    RATE_LIMIT_NAMESPACE: `bench-api-${process.pid}:`,
    ...(existsSync(policies) ? { POLICIES_DIR: policies } : {}),
  });
  const clock = new ManualClock(new Date(NOW));
  let ours: NestFastifyApplication;
  let bare: NestFastifyApplication;
  try {
    ours = await createApiApp(config, { clock, logger: false });
    await ours.listen({ port: 0, host: '127.0.0.1' });
    bare = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), {
      logger: false,
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await Promise.allSettled([ours.close(), bare.close()]);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0); // --cpu-prof writes its profile on exit
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
    // CPU time of this process so far (both apps and everything the api runs in the background).
    if (message === 'cpu') process.send!({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => void stop());
  process.send!({ ours: portOf(ours), bare: portOf(bare) });
}

// ---------------------------------------------------------------------------------------------
// Driver side: setup over HTTP (untimed), then autocannon.

type Json = Record<string, unknown>;

function creditCode(first17: string): string {
  return first17 + creditCodeCheckCharacter(first17);
}

/** Data that passes the default 2026 policies, mixed as in the Wuxi first batch (108 : 61 : 8). */
const PROGRAMMES = WUXI_FIRST_BATCH.map(({ programme, count, establishedOn, data }) => ({
  programme,
  share: count,
  establishedOn,
  data,
}));

const cityOfficer: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };
const districtOfficer: Principal = { sub: 'officer-xinwu', role: 'officer', jurisdiction: 'js.wuxi.xinwu' };
const auditor: Principal = { sub: 'auditor-1', role: 'auditor' };
const REVIEW_BODY = JSON.stringify({
  stage: 'district',
  decision: 'recommend',
  reason: '初审通过，同意推荐',
});

interface Enterprise {
  code: string;
  authorization: string;
  /**
   * The body of POST /v1/applications for each batch's round of its programme, prepared once
   * each: an enterprise applies once per round, so when every enterprise has applied, the next
   * applications go to the next batch (a fast machine gets through 12,000 in under a minute).
   */
  createBodies: string[];
}

/** Rounds per programme (batches 1..BATCHES of 2026): ENTERPRISES × BATCHES applications in all. */
const BATCHES = Number(process.env.BATCHES ?? 8);

const token = (principal: Principal) =>
  signToken(principal, DEVELOPMENT_JWT_SECRET, { now: new Date(NOW), expiresIn: '12h' });

class Client {
  constructor(private readonly base: string) {}

  async call(
    method: string,
    path: string,
    authorization: string,
    body?: string,
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  async expect(
    status: number,
    method: string,
    path: string,
    authorization: string,
    body?: string,
  ): Promise<Json> {
    const res = await this.call(method, path, authorization, body);
    if (res.status !== status) {
      throw new Error(
        `setup: ${method} ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }
}

async function inParallel(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Sample {
  /** 2xx answers per second. */
  rate: number;
  /** CPU time of the server process per 2xx answer (ms): a measure the load of others barely moves. */
  cpuMs: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  statusCodes: Record<string, number>;
}

type Phase = 'createSubmit' | 'review' | 'baseline';

/** Lets a workload end its phase early (the review pool running out). */
interface Control {
  stop(): void;
}

/** The server process's CPU time so far, in ms (user + system). */
let serverCpu: () => Promise<number> = async () => Number.NaN;

async function measure(
  url: string,
  requests: autocannon.Request[],
  seconds: number,
  control: Control = { stop() {} },
): Promise<Sample> {
  const latencies: number[] = [];
  const cpuBefore = await serverCpu();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: seconds, requests, timeout: 10, sampleInt: SAMPLE_MS },
      (error: unknown, result: autocannon.Result) => (error ? fail(error) : done(result)),
    );
    control.stop = () => instance.stop();
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const cpu = (await serverCpu()) - cpuBefore;
  const sorted = Float64Array.from(latencies).sort();
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, Number(stat.count ?? 0)]),
  );
  return {
    rate: result['2xx'] / result.duration,
    cpuMs: cpu / result['2xx'],
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    statusCodes,
  };
}

class Workload {
  private nextEnterprise = 0;
  /** Submitted applications not reviewed yet. */
  private readonly submitted: string[] = [];
  private reviewed = 0;
  /** Failures seen by the chains, by step: `${step} ${status} ${body}` (first few kept). */
  readonly failures: string[] = [];

  constructor(
    private readonly client: Client,
    private readonly enterprises: Enterprise[],
    private readonly officer: string,
  ) {}

  get pool(): number {
    return this.submitted.length - this.reviewed;
  }

  /** The next enterprise, with the body applying to the first round it has not applied to. */
  private enterprise(): { authorization: string; createBody: string } {
    const n = this.nextEnterprise++;
    const enterprise = this.enterprises[n % this.enterprises.length];
    const batch = Math.floor(n / this.enterprises.length);
    if (batch >= BATCHES) {
      throw new Error(`every enterprise has applied to all ${BATCHES} batches: raise ENTERPRISES or BATCHES`);
    }
    return { authorization: enterprise.authorization, createBody: enterprise.createBodies[batch] };
  }

  private fail(step: string, status: number, body: string) {
    if (this.failures.length < 10) this.failures.push(`${step} answered ${status}: ${body.slice(0, 300)}`);
  }

  /** Two chained requests per loop: create a draft, then submit it. */
  createSubmit(): autocannon.Request[] {
    interface Context {
      enterprise?: { authorization: string };
      id?: string;
    }
    return [
      {
        method: 'POST',
        path: '/v1/applications',
        setupRequest: (request, context) => {
          const enterprise = this.enterprise();
          (context as Context).enterprise = enterprise;
          return {
            ...request,
            headers: { authorization: enterprise.authorization, 'content-type': 'application/json' },
            body: enterprise.createBody,
          };
        },
        onResponse: (status, body, context) => {
          if (status === 201) (context as Context).id = (JSON.parse(body) as { id: string }).id;
          else this.fail('create', status, body);
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const { enterprise, id } = context as Context;
          return {
            ...request,
            // A failed create leaves no id: the submit then fails too, and is counted as non-2xx.
            path: `/v1/applications/${id ?? 'create-failed'}/submit`,
            headers: { authorization: enterprise?.authorization ?? '' },
            body: undefined,
          };
        },
        onResponse: (status, body, context) => {
          if (status === 200) this.submitted.push((context as Context).id!);
          else this.fail('submit', status, body);
        },
      },
    ];
  }

  /**
   * One district recommendation per submitted application. When only RESERVE applications are
   * left the phase is stopped (it then lasts less than DURATION, which is reported); the reserve
   * serves the requests the connections still send before the stop takes effect.
   */
  review(control: Control): autocannon.Request[] {
    const end = this.submitted.length;
    let dry = false;
    return [
      {
        method: 'POST',
        setupRequest: (request) => {
          if (this.reviewed === end - RESERVE) control.stop();
          let id = this.submitted[this.reviewed];
          if (this.reviewed >= end) {
            // Even the reserve is gone: repeat the last review, which answers 409 and fails the run.
            if (!dry) this.failures.push('review pool and reserve ran dry');
            dry = true;
            id = this.submitted[end - 1];
          } else this.reviewed++;
          return {
            ...request,
            path: `/v1/applications/${id}/reviews`,
            headers: { authorization: this.officer, 'content-type': 'application/json' },
            body: REVIEW_BODY,
          };
        },
        onResponse: (status, body) => {
          if (status !== 200) this.fail('review', status, body);
        },
      },
    ];
  }

  /** Untimed: creates and submits applications until `count` await review. */
  async topUp(count: number): Promise<number> {
    const missing = Math.max(0, count - this.pool);
    await inParallel(missing, CONNECTIONS, async () => {
      const enterprise = this.enterprise();
      const { id } = await this.client.expect(
        201,
        'POST',
        '/v1/applications',
        enterprise.authorization,
        enterprise.createBody,
      );
      await this.client.expect(200, 'POST', `/v1/applications/${id}/submit`, enterprise.authorization);
      this.submitted.push(id as string);
    });
    return missing;
  }
}

function baselineRequests(officer: string): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/constant',
      headers: { authorization: officer, 'content-type': 'application/json' },
      body: REVIEW_BODY,
    },
  ];
}

async function setup(client: Client) {
  const city = `Bearer ${await token(cityOfficer)}`;
  const rounds: Record<string, string[]> = {};
  for (const { programme } of PROGRAMMES) {
    rounds[programme] = [];
    for (let batch = 1; batch <= BATCHES; batch++) {
      const round = await client.expect(
        201,
        'POST',
        '/v1/rounds',
        city,
        JSON.stringify({
          programme,
          year: 2026,
          batch,
          title: `2026年度无锡市${programme}第${batch}批入库申报`,
          jurisdiction: 'js.wuxi',
          opensAt: '2026-03-01T00:00:00+08:00',
          closesAt: '2026-04-30T17:00:00+08:00',
        }),
      );
      rounds[programme].push(round.id as string);
    }
  }
  const cycle = PROGRAMMES.reduce((sum, p) => sum + p.share, 0);
  const enterprises: Enterprise[] = new Array(ENTERPRISES);
  await inParallel(ENTERPRISES, CONNECTIONS, async (i) => {
    let slot = i % cycle;
    const kind = PROGRAMMES.find((p) => (slot -= p.share) < 0)!;
    const code = creditCode(`91320214MA${String(i + 1).padStart(7, '0')}`);
    const authorization = `Bearer ${await token({ sub: `ent-${code}`, role: 'enterprise', org: code })}`;
    await client.expect(
      201,
      'POST',
      '/v1/enterprises',
      authorization,
      JSON.stringify({
        creditCode: code,
        name: `无锡高新区测试企业${i + 1}有限公司`,
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: kind.establishedOn,
      }),
    );
    // The samples' figures grow with their index and leave the policies' bounds (main-business
    // share, revenue caps) after a few thousand: a slow machine needs more enterprises than that.
    const data = kind.data(i % 2000);
    const createBodies = rounds[kind.programme].map((roundId) =>
      JSON.stringify({ roundId, creditCode: code, data }),
    );
    enterprises[i] = { code, authorization, createBodies };
  });
  return enterprises;
}

function check(phase: string, sample: Sample, workload: Workload): void {
  if (sample.non2xx === 0 && sample.errors === 0 && workload.failures.length === 0) return;
  throw new Error(
    [
      `${phase}: ${sample.non2xx} non-2xx answers, ${sample.errors} connection errors (${sample.timeouts} timeouts)`,
      `status codes: ${JSON.stringify(sample.statusCodes)}`,
      ...workload.failures,
    ].join('\n  '),
  );
}

async function drive(ports: { ours: number; bare: number }): Promise<void> {
  const ours = `http://127.0.0.1:${ports.ours}`;
  const bare = `http://127.0.0.1:${ports.bare}`;
  const client = new Client(ours);
  const officer = `Bearer ${await token(districtOfficer)}`;
  const auditorToken = `Bearer ${await token(auditor)}`;

  let started = performance.now();
  const enterprises = await setup(client);
  const workload = new Workload(client, enterprises, officer);
  process.stderr.write(
    `  setup: ${PROGRAMMES.length * BATCHES} rounds, ${ENTERPRISES} enterprises registered in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  // Let the in-process subscriptions (enterprise directory) catch up before a phase starts:
  // GET /v1/enterprises/:code answers only once everything committed has been folded in.
  const settle = async () => {
    await client.expect(200, 'GET', `/v1/enterprises/${enterprises[0].code}`, auditorToken);
    await sleep(500);
  };

  const samples: Record<Phase, Sample[]> = { createSubmit: [], review: [], baseline: [] };
  // Reviews per second, for sizing the pool: the last seen, or more if the last create+submit
  // phase suggests it (a review is one command where create+submit is two; a cold warm-up
  // underestimates). A pool that runs out ends its phase early, which is reported; leftovers
  // carry over to the next phase.
  let reviewRate = 0;
  let createSubmitRate = 0;
  const phase = async (name: Phase, seconds: number, record: boolean): Promise<Sample> => {
    await settle();
    if (name === 'review') {
      // Enough submitted applications for the whole phase, with a margin (untimed).
      const rate = Math.max(reviewRate, createSubmitRate * 1.5, 500);
      const expected = Math.ceil(rate * seconds * 1.1) + RESERVE;
      const t = performance.now();
      const added = await workload.topUp(expected);
      if (added) {
        process.stderr.write(
          `    (topped up ${added} submitted applications in ${((performance.now() - t) / 1000).toFixed(1)} s)\n`,
        );
        await settle();
      }
    }
    const control: Control = { stop() {} };
    const sample =
      name === 'baseline'
        ? await measure(bare, baselineRequests(officer), seconds)
        : name === 'createSubmit'
          ? await measure(ours, workload.createSubmit(), seconds)
          : await measure(ours, workload.review(control), seconds, control);
    check(name, sample, workload);
    if (name === 'review') reviewRate = sample.rate;
    if (name === 'createSubmit') createSubmitRate = sample.rate;
    if (record) samples[name].push(sample);
    const figures = `${Math.round(sample.rate).toLocaleString('en')}/s, p50 ${sample.p50.toFixed(2)} ms, p99 ${sample.p99.toFixed(2)} ms, CPU ${sample.cpuMs.toFixed(3)} ms each`;
    const short = sample.seconds < seconds * 0.95 ? ` (pool used up after ${sample.seconds} s)` : '';
    process.stderr.write(`    ${record ? '' : 'warm-up '}${name}: ${figures}${short}\n`);
    return sample;
  };

  const order: Phase[] = ['baseline', 'createSubmit', 'review'];
  if (WARMUP > 0) for (const name of order) await phase(name, WARMUP, false);
  started = performance.now();
  for (let run = 1; run <= RUNS; run++) {
    process.stderr.write(`  run ${run}/${RUNS}\n`);
    for (const name of order) await phase(name, DURATION, true);
  }
  process.stderr.write(`  measured in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

  const m = Object.fromEntries(
    order.map((name) => [
      name,
      {
        rate: median(samples[name].map((s) => s.rate)),
        p50: median(samples[name].map((s) => s.p50)),
        p99: median(samples[name].map((s) => s.p99)),
        cpuMs: median(samples[name].map((s) => s.cpuMs)),
      },
    ]),
  ) as Record<Phase, { rate: number; p50: number; p99: number; cpuMs: number }>;
  const ratio = (name: Phase) => m[name].rate / m.baseline.rate;
  /** What the rate ratio would be on a machine of our own: the bare app's CPU per answer over ours. */
  const cpuRatio = (name: Phase) => m.baseline.cpuMs / m[name].cpuMs;
  const verdict = {
    createSubmit: { rate: ratio('createSubmit') >= TARGET_RATIO, p99: m.createSubmit.p99 < TARGET_P99_MS },
    review: { rate: ratio('review') >= TARGET_RATIO, p99: m.review.p99 < TARGET_P99_MS },
  };
  const target = `>= ${TARGET_RATIO.toFixed(2)}x bare, p99 < ${TARGET_P99_MS} ms`;
  const rows = [
    ['create+submit (commands/s)', 'createSubmit', target],
    ['review (commands/s)', 'review', target],
    ['baseline: bare NestJS, constant (req/s)', 'baseline', ''],
  ] as const;
  console.log('');
  console.log(
    `bench:api — ${RUNS} runs x ${DURATION} s per phase, ${CONNECTIONS} connections, ${cpus().length} CPUs`,
  );
  console.log('');
  console.log('| measure | median /s | p50 ms | p99 ms | ratio | CPU ms each | CPU ratio | target |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const [label, name, goal] of rows) {
    console.log(
      `| ${label} | ${Math.round(m[name].rate).toLocaleString('en')} | ${m[name].p50.toFixed(2)} | ${m[name].p99.toFixed(2)} | ${ratio(name).toFixed(2)}x | ${m[name].cpuMs.toFixed(3)} | ${cpuRatio(name).toFixed(2)}x | ${goal} |`,
    );
  }
  const said = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  console.log(
    `\ncreate+submit: rate ${said(verdict.createSubmit.rate)}, p99 ${said(verdict.createSubmit.p99)}; ` +
      `review: rate ${said(verdict.review.rate)}, p99 ${said(verdict.review.p99)}`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/api.json',
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        runs: RUNS,
        durationSeconds: DURATION,
        connections: CONNECTIONS,
        enterprises: ENTERPRISES,
        samples,
        medians: m,
        ratios: { createSubmit: ratio('createSubmit'), review: ratio('review') },
        cpuRatios: { createSubmit: cpuRatio('createSubmit'), review: cpuRatio('review') },
        verdict,
      },
      null,
      2,
    ),
  );
}

async function main(): Promise<void> {
  const profileDir = resolve('bench/results/profiles');
  if (PROFILE) mkdirSync(profileDir, { recursive: true });
  const server = fork(__filename, ['--serve'], {
    execArgv: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    stdio: 'inherit',
  });
  try {
    const ports = await new Promise<{ ours: number; bare: number }>((done, fail) => {
      server.once('message', (message) => done(message as { ours: number; bare: number }));
      server.once('exit', (code) => fail(new Error(`the server process exited (${code}) before listening`)));
    });
    serverCpu = () =>
      new Promise((done) => {
        server.once('message', (message) => {
          const { user, system } = (message as { cpu: NodeJS.CpuUsage }).cpu;
          done((user + system) / 1000);
        });
        server.send('cpu');
      });
    console.log(
      `bench:api — ${RUNS} runs, ${DURATION} s per phase (warm-up ${WARMUP} s), ${CONNECTIONS} connections, ${ENTERPRISES} enterprises`,
    );
    await drive(ports);
  } finally {
    const exited = once(server, 'exit');
    if (server.connected) server.send('stop');
    await Promise.race([exited, sleep(10_000).then(() => server.kill())]);
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
