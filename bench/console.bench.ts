/**
 * npm run bench:console — the web console as a person meets it, in headless Chromium
 * (/usr/bin/chromium, playwright-core), in one run, beside a baseline:
 *
 *   initial JS (gzip)        every script the browser fetched from navigation until the
 *                            person's first screen is usable, gzipped (level 9) as a server
 *                            would send it: per role (officer: the worklist; other roles:
 *                            their landing page), and for the baseline
 *   time to round table      navigation to `/rounds/:id` until the first row of the round's
 *                            application table is visible (fresh browser context each load, so
 *                            an empty cache), median and p95 over RUNS loads (default 20, at
 *                            least 3), the pages interleaved; the largest round of the data
 *   time to worklist         the same for the officer's landing page, the worklist
 *   API call alone           the page's own call from the same page (fetch), median and p95:
 *                            GET /v1/rounds/:id/applications?offset=0&limit=20 for the round
 *                            table, GET /v1/worklist?limit=100 for the worklist
 *   baseline                 a bare Ant Design page built in the same run (ConfigProvider with
 *                            zh_CN and one Table of the same rows, no router, no labels): what
 *                            any antd screen costs; the console's figures are printed with
 *                            their ratio to it
 *
 * The data is APPLICATIONS (default 100,000) applications made by bench/generate.ts (the event
 * store port, then the CLI's rebuild) in a temp DATA_DIR, or the generated DATA_DIR given
 * (reused as it is; e.g. one made by `npm run bench:generate`). The api is the real one
 * (createApiApp, embedded SQLite, manual clock), serving the built console (apps/web/dist); a
 * second api on the same data serves the baseline build. The officer is the city's (js.wuxi),
 * who runs the city stage of every round.
 * Targets (issue 18): round table p95 < 1 s; initial JS < 400 KB gzipped per role.
 *
 * TRACE=1 prints each load's waterfall (resource timings and long tasks, ms from navigation);
 * PROFILE=<path prefix> writes each load's CPU profile (<prefix>-<page>-<time>.cpuprofile, for
 * Chromium's DevTools). Both with RUNS=3, say: they slow the loads down a little.
 *
 * `npm run bench:console -- --js-only` (or, without the full build, `npm run bench:console-js`)
 * skips the data and the browser: it prints each role landing page's initial JS from the Vite
 * build manifest (scripts/initial-js.js), the same figures in seconds, and fails over 400 KB.
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createApiApp } from '../apps/api/src/app.factory';
import { policiesWithoutRequiredMaterials } from './bench-support';
import {
  DEVELOPMENT_JWT_SECRET,
  loadConfig,
  ManualClock,
  type Principal,
  signToken,
} from '../libs/platform/src';
import { generate, GENERATED_FILE, type GeneratedData } from './generate';

const APPLICATIONS = Number(process.env.APPLICATIONS ?? 100_000);
const RUNS = Math.max(3, Number(process.env.RUNS ?? 20));
/** TRACE=1: print each load's waterfall (resource timings and long tasks, ms from navigation). */
const TRACE = process.env.TRACE === '1';
/** A week after the generated history. */
const NOW = '2026-03-13T02:00:00.000Z';
const PASSWORD = 'Bench-Console-2026!';
const ROOT = resolve(__dirname, '..', '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Builds the baseline: one antd Table of the worklist, or of a round's applications, nothing else. */
async function buildBaseline(outDir: string): Promise<void> {
  const src = join(ROOT, 'dist', 'bench-console-baseline');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, 'index.html'),
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>baseline</title></head><body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>',
  );
  writeFileSync(
    join(src, 'main.tsx'),
    `import { ConfigProvider, Table } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
const round = location.pathname.startsWith('/rounds/') ? location.pathname.split('/')[2] : undefined;
function Page() {
  const [rows, setRows] = useState<Record<string, string>[]>();
  useEffect(() => {
    void fetch(round ? '/v1/rounds/' + round + '/applications?offset=0&limit=20' : '/v1/worklist?limit=100')
      .then((r) => r.json()).then((b) => setRows(b.items));
  }, []);
  return (
    <ConfigProvider locale={zhCN}>
      <h1>{round ? '申报列表' : '待办事项'}</h1>
      <Table rowKey="applicationId" loading={!rows} dataSource={rows} pagination={{ pageSize: 20 }}
        columns={[{ title: '企业名称', dataIndex: 'name' }, { title: '状态', dataIndex: 'status' }, { title: '环节', dataIndex: 'awaiting' }]} />
    </ConfigProvider>
  );
}
createRoot(document.getElementById('root')!).render(<Page />);
`,
  );
  // vite is ESM-only: loaded with a real import() (the compiled bench is CommonJS).
  const { build } = (await new Function('m', 'return import(m)')('vite')) as {
    build: (config: unknown) => Promise<unknown>;
  };
  await build({
    root: src,
    base: '/',
    logLevel: 'silent',
    configFile: false,
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 },
    oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  });
  // Served as the console is: gzipped copies beside its files (apps/web/vite.config.ts).
  const assets = join(outDir, 'assets');
  for (const file of readdirSync(assets))
    if (/\.(js|css)$/.test(file))
      writeFileSync(join(assets, `${file}.gz`), gzipSync(readFileSync(join(assets, file)), { level: 9 }));
}

async function main() {
  if (process.argv.includes('--js-only')) {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'initial-js.js')], {
      stdio: 'inherit',
    });
    process.exit(result.status ?? 1);
  }
  const given = process.env.DATA_DIR;
  const dataDir = given ?? mkdtempSync(join(tmpdir(), 'bench-console-'));
  const baselineDir = mkdtempSync(join(tmpdir(), 'bench-console-baseline-'));
  await buildBaseline(baselineDir);
  const data: GeneratedData =
    given && existsSync(join(given, GENERATED_FILE))
      ? (JSON.parse(readFileSync(join(given, GENERATED_FILE), 'utf8')) as GeneratedData)
      : await generate({ dataDir, applications: APPLICATIONS });
  const round = [...data.rounds].sort((a, b) => b.applications - a.applications)[0];
  const common = {
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '1000000',
    RATE_LIMIT_NAMESPACE: `bench-console-${process.pid}:`,
    QUEUE_PREFIX: `{bench-console-${process.pid}}`,
    POLICIES_DIR: policiesWithoutRequiredMaterials(dataDir),
  };
  const clock = new ManualClock(new Date(NOW));
  const apps: NestFastifyApplication[] = [];
  const serve = async (env: Record<string, string>, withWorker: boolean) => {
    const app = await createApiApp(loadConfig({ ...common, ...env }), { clock, logger: false, withWorker });
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  };
  let browser: Browser | undefined;
  try {
    const origin = await serve({ CONSOLE_DIR: join(ROOT, 'apps', 'web', 'dist') }, true);
    const baseline = await serve({ CONSOLE_DIR: baselineDir }, false);

    // Setup over HTTP (untimed).
    const bearer = async (p: Principal) =>
      `Bearer ${await signToken(p, DEVELOPMENT_JWT_SECRET, { now: new Date(NOW), expiresIn: '12h' })}`;
    const call = async (method: string, path: string, as: Principal, body?: unknown) => {
      const res = await fetch(origin + path, {
        method,
        headers: { authorization: await bearer(as), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // 409: the account exists (a reused DATA_DIR).
      if (res.status >= 300 && res.status !== 409)
        throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const admin: Principal = { sub: 'admin-1', role: 'admin' };
    const accounts = {
      officer: { login: 'bench.officer', name: '王科长', role: 'officer', jurisdiction: 'js.wuxi' },
      auditor: { login: 'bench.auditor', name: '审计员', role: 'auditor' },
    };
    for (const account of Object.values(accounts))
      await call('POST', '/v1/accounts', admin, { ...account, password: PASSWORD });

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });

    const worklistCall = '/v1/worklist?limit=100';
    const roundCall = `/v1/rounds/${round.id}/applications?offset=0&limit=20`;
    /** One cold load: sign in (untimed), then navigate to `path` and wait for `ready`; then `call` alone. */
    const load = async (
      base: string,
      account: { login: string },
      path: string,
      call: string,
      ready: (context: BrowserContext) => Promise<void>,
    ) => {
      const context = await browser!.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      try {
        const signIn = await context.request.post(`${base}/v1/auth/sign-in`, {
          data: { login: account.login, password: PASSWORD },
          headers: { Origin: base },
        });
        if (!signIn.ok()) throw new Error(`sign-in ${signIn.status()}`);
        const page = await context.newPage();
        const scripts: Promise<number>[] = [];
        page.on('response', (res) => {
          if (res.request().resourceType() === 'script')
            scripts.push(res.body().then((b) => gzipSync(b, { level: 9 }).length));
        });
        // In the page (as text: this file is compiled without the DOM's types).
        if (TRACE)
          await page.addInitScript({
            content: `window.__longTasks = [];
              new PerformanceObserver((list) => {
                for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
              }).observe({ type: 'longtask', buffered: true });`,
          });
        const cdp = process.env.PROFILE ? await context.newCDPSession(page) : undefined;
        if (cdp) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
          await cdp.send('Profiler.start');
        }
        const started = performance.now();
        await page.goto(`${base}${path}`);
        await ready(context);
        const elapsed = performance.now() - started;
        if (cdp) {
          const { profile } = await cdp.send('Profiler.stop');
          writeFileSync(
            `${process.env.PROFILE}-${path.split('/')[1] || 'home'}-${Date.now()}.cpuprofile`,
            JSON.stringify(profile),
          );
        }
        if (TRACE) {
          const trace = (await page.evaluate(`({
            resources: performance.getEntriesByType('resource').map((e) => ({
              name: e.name.replace(location.origin, ''),
              start: e.startTime,
              end: e.responseEnd,
            })),
            longTasks: window.__longTasks,
            now: performance.now(),
          })`)) as {
            resources: { name: string; start: number; end: number }[];
            longTasks: { start: number; ms: number }[];
            now: number;
          };
          const lines = [
            ...trace.resources.map((r) => ({
              at: r.start,
              text: `${ms(r.start)} → ${ms(r.end)}  ${r.name}`,
            })),
            ...trace.longTasks.map((t) => ({
              at: t.start,
              text: `${ms(t.start)} → ${ms(t.start + t.ms)}  (busy ${ms(t.ms)})`,
            })),
          ].sort((a, b) => a.at - b.at);
          console.log(
            `\ntrace ${path} (ms from navigation; ready about ${ms(trace.now)}):\n  ${lines.map((l) => l.text).join('\n  ')}`,
          );
        }
        const js = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
        const api = await page.evaluate(async (url) => {
          const t = performance.now();
          const res = await fetch(url);
          if (!res.ok) throw new Error(`${url}: ${res.status}`);
          await res.json();
          return performance.now() - t;
        }, call);
        return { elapsed, js, api };
      } finally {
        await context.close();
      }
    };
    const firstRow = (selector: string) => async (context: BrowserContext) => {
      await context.pages()[0].locator(selector).first().waitFor({ state: 'visible', timeout: 60_000 });
    };

    type Result = Awaited<ReturnType<typeof load>>;
    const summary = (name: string, results: Result[]) => {
      const times = results.map((r) => r.elapsed);
      return {
        name,
        js: median(results.map((r) => r.js)),
        median: median(times),
        p95: p95(times),
        api: median(results.map((r) => r.api)),
        apiP95: p95(results.map((r) => r.api)),
      };
    };
    // Interleaved warm-up of the server side, then the measured series.
    const row = 'tbody .ant-table-row';
    const linkedRow = 'tbody .ant-table-row a[href^="/applications/"]';
    const roundPath = `/rounds/${round.id}`;
    await load(origin, accounts.officer, roundPath, roundCall, firstRow(linkedRow));
    await load(baseline, accounts.officer, roundPath, roundCall, firstRow(row));
    await load(origin, accounts.officer, '/', worklistCall, firstRow('tbody .ant-table-row a'));
    // The series are interleaved (one load of each, RUNS times), so a change of the machine's
    // load during the run weighs on the console and on its baseline alike.
    const pages: [string, () => Promise<Result>][] = [
      [
        'baseline: bare antd table of the round',
        () => load(baseline, accounts.officer, roundPath, roundCall, firstRow(row)),
      ],
      [
        "console: officer, a round's table",
        () => load(origin, accounts.officer, roundPath, roundCall, firstRow(linkedRow)),
      ],
      [
        'baseline: bare antd table of the worklist',
        () => load(baseline, accounts.officer, '/', worklistCall, firstRow(row)),
      ],
      [
        'console: officer, worklist',
        () => load(origin, accounts.officer, '/', worklistCall, firstRow('tbody .ant-table-row a')),
      ],
      [
        'console: auditor landing',
        // The auditor has no worklist: the call beside it is the round table's, which auditors read.
        () =>
          load(origin, accounts.auditor, '/', roundCall, async (context) => {
            await context.pages()[0].locator('h1').first().waitFor({ state: 'visible', timeout: 60_000 });
          }),
      ],
    ];
    const results: Result[][] = pages.map(() => []);
    for (let i = 0; i < RUNS; i++) for (const [k, [, run]] of pages.entries()) results[k].push(await run());
    const [bareRound, officerRound, bare, officer, auditor] = pages.map(([name], k) =>
      summary(name, results[k]),
    );

    console.log(
      `\nconsole bench: ${data.applications} applications (${data.events} events); the round has ${round.applications}; ${RUNS} cold loads each; load average ${loadavg()[0].toFixed(2)}\n`,
    );
    console.log(
      [
        '',
        'initial JS gz',
        'ratio',
        'to first row p50',
        'p95',
        'ratio p95',
        'API call p50',
        'p95',
        'page/API p95',
      ].join('\t'),
    );
    const print = (r: ReturnType<typeof summary>, base: ReturnType<typeof summary>) =>
      console.log(
        [
          r.name,
          kb(r.js),
          (r.js / base.js).toFixed(2),
          ms(r.median),
          ms(r.p95),
          (r.p95 / base.p95).toFixed(2),
          ms(r.api),
          ms(r.apiP95),
          (r.p95 / r.apiP95).toFixed(1),
        ].join('\t'),
      );
    for (const r of [bareRound, officerRound]) print(r, bareRound);
    for (const r of [bare, officer, auditor]) print(r, bare);
    console.log(
      `\nround table p95 ${ms(officerRound.p95)}: ${officerRound.p95 < 1000 ? 'under' : 'OVER'} the 1 s target; ` +
        `officer initial JS ${kb(officerRound.js)} (round) / ${kb(officer.js)} (worklist), auditor ${kb(auditor.js)} gzipped: ` +
        `${Math.max(officerRound.js, officer.js, auditor.js) < 400 * 1024 ? 'under' : 'OVER'} the 400 KB target`,
    );
  } finally {
    await browser?.close();
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    rmSync(baselineDir, { recursive: true, force: true });
    if (!given) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
