/**
 * npm run bench:console — the web console as a person meets it, in headless Chromium
 * (/usr/bin/chromium, playwright-core), in one run, beside a baseline:
 *
 *   initial JS (gzip)        every script the browser fetched from navigation until the
 *                            person's first screen is usable, gzipped (level 9) as a server
 *                            would send it: per role (officer: the worklist; other roles:
 *                            their landing page), and for the baseline
 *   time to worklist         navigation to the first worklist row visible (fresh browser
 *                            context each load, so an empty cache), median and p95 over RUNS
 *                            loads (default 5, at least 3)
 *   API call alone           GET /v1/worklist?limit=100 from the same page (fetch), median
 *   baseline                 a bare Ant Design page built in the same run (ConfigProvider with
 *                            zh_CN and one Table of the same worklist, no router, no labels):
 *                            what any antd screen costs; the console's figures are printed
 *                            with their ratio to it
 *
 * The api is the real one (createApiApp, embedded SQLite in a temp DATA_DIR, manual clock),
 * serving the built console (apps/web/dist); a second api on the same data serves the
 * baseline build. APPLICATIONS (default 300) applications await the officer.
 * Target (issue 18): officer initial JS < 400 KB gzipped.
 */
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createApiApp } from '../apps/api/src/app.factory';
import { eagletData } from '../libs/incubation/src/testing/sample-applications';
import { policiesWithoutRequiredMaterials } from './bench-support';
import {
  creditCodeCheckCharacter,
  DEVELOPMENT_JWT_SECRET,
  loadConfig,
  ManualClock,
  type Principal,
  signToken,
} from '../libs/platform/src';

const APPLICATIONS = Number(process.env.APPLICATIONS ?? 300);
const RUNS = Math.max(3, Number(process.env.RUNS ?? 5));
const NOW = '2026-04-01T02:00:00.000Z';
const PASSWORD = 'Bench-Console-2026!';
const ROOT = resolve(__dirname, '..', '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Builds the baseline: one antd Table of the worklist, nothing else. */
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
function Page() {
  const [rows, setRows] = useState<Record<string, string>[]>();
  useEffect(() => {
    void fetch('/v1/worklist?limit=100').then((r) => r.json()).then((b) => setRows(b.items));
  }, []);
  return (
    <ConfigProvider locale={zhCN}>
      <h1>待办事项</h1>
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
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-console-'));
  const baselineDir = join(dataDir, 'baseline');
  await buildBaseline(baselineDir);
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
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const admin: Principal = { sub: 'admin-1', role: 'admin' };
    const wuxi: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };
    const accounts = {
      officer: { login: 'bench.officer', name: '王科长', role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
      auditor: { login: 'bench.auditor', name: '审计员', role: 'auditor' },
    };
    for (const account of Object.values(accounts))
      await call('POST', '/v1/accounts', admin, { ...account, password: PASSWORD });
    const round = await call('POST', '/v1/rounds', wuxi, {
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '2026年度雏鹰企业第一批',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-12-31T17:00:00+08:00',
    });
    const queue = Array.from({ length: APPLICATIONS }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const first17 = `91320214MA${String(1_000_000 + i).slice(1)}`.slice(0, 17).padEnd(17, '0');
          const code = first17 + creditCodeCheckCharacter(first17);
          const owner: Principal = { sub: `ent-${code}`, role: 'enterprise', org: code };
          await call('POST', '/v1/enterprises', owner, {
            creditCode: code,
            name: `无锡基准测试企业${String(i + 1).padStart(5, '0')}有限公司`,
            jurisdiction: 'js.wuxi.xinwu',
            establishedOn: '2019-05-20',
          });
          const created = await call('POST', '/v1/applications', owner, {
            roundId: round.id,
            creditCode: code,
            data: eagletData(i % 7),
          });
          await call('POST', `/v1/applications/${String(created.id)}/submit`, owner);
        }
      }),
    );

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });

    /** One cold load: sign in (untimed), then navigate and wait for `ready`. */
    const load = async (
      base: string,
      account: { login: string },
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
        const started = performance.now();
        await page.goto(`${base}/`);
        await ready(context);
        const elapsed = performance.now() - started;
        const js = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
        const api = await page.evaluate(async () => {
          const t = performance.now();
          await (await fetch('/v1/worklist?limit=100')).json();
          return performance.now() - t;
        });
        return { elapsed, js, api };
      } finally {
        await context.close();
      }
    };
    const firstRow = (selector: string) => async (context: BrowserContext) => {
      await context.pages()[0].locator(selector).first().waitFor({ state: 'visible', timeout: 60_000 });
    };

    const series = async (name: string, run: () => ReturnType<typeof load>) => {
      const results = [];
      for (let i = 0; i < RUNS; i++) results.push(await run());
      const times = results.map((r) => r.elapsed);
      return {
        name,
        js: median(results.map((r) => r.js)),
        median: median(times),
        p95: p95(times),
        api: median(results.map((r) => r.api)),
      };
    };
    // Interleaved warm-up of the server side, then the measured series.
    await load(origin, accounts.officer, firstRow('tbody .ant-table-row'));
    await load(baseline, accounts.officer, firstRow('tbody .ant-table-row'));
    const bare = await series('baseline (bare antd table)', () =>
      load(baseline, accounts.officer, firstRow('tbody .ant-table-row')),
    );
    const officer = await series('console, officer worklist', () =>
      load(origin, accounts.officer, firstRow('tbody .ant-table-row a')),
    );
    const auditor = await series('console, auditor landing', () =>
      load(origin, accounts.auditor, async (context) => {
        await context.pages()[0].locator('h1').first().waitFor({ state: 'visible', timeout: 60_000 });
      }),
    );

    console.log(
      `\nconsole bench: ${APPLICATIONS} applications awaiting the officer, ${RUNS} cold loads each\n`,
    );
    console.log(
      ['', 'initial JS gz', 'ratio', 'to ready p50', 'p95', 'ratio p50', 'API call p50'].join('\t'),
    );
    for (const r of [bare, officer, auditor])
      console.log(
        [
          r.name,
          kb(r.js),
          (r.js / bare.js).toFixed(2),
          ms(r.median),
          ms(r.p95),
          (r.median / bare.median).toFixed(2),
          ms(r.api),
        ].join('\t'),
      );
    console.log(
      `\nofficer initial JS ${kb(officer.js)} gzipped: ${officer.js < 400 * 1024 ? 'under' : 'OVER'} the 400 KB target`,
    );
  } finally {
    await browser?.close();
    for (const app of apps.reverse()) await app.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
