import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@engine/event-store';
import { enterpriseStream } from '@engine/incubation/domain/enterprise/enterprise.events';
import { DEVELOPMENT_JWT_SECRET, loadConfig, ManualClock, type Principal, signToken } from '@engine/platform';
import { officialCalendarCoverage } from '@engine/platform/calendar/working-days';
import { createApiApp } from '../apps/api/src/app.factory';
import { creditCode } from './support/fixtures';
import { freePort, startProcess, waitForHttp } from './support/processes';

/**
 * What an operator sees of a running api: JSON log lines that carry the request's correlation
 * id (the same id as the response header and the events' metadata), Prometheus metrics, the
 * liveness and readiness probes, security headers and CORS.
 */
const officer: Principal = { sub: 'officer-obs', role: 'officer', jurisdiction: 'js.wuxi' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Booted {
  app: NestFastifyApplication;
  dataDir: string;
  lines: string[];
  logs(): Array<Record<string, unknown>>;
  token(principal: Principal): Promise<string>;
  close(): Promise<void>;
}

async function boot(env: Record<string, string> = {}, options: { silent?: boolean } = {}): Promise<Booted> {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-obs-'));
  const clock = new ManualClock(new Date('2026-03-02T02:00:00.000Z'));
  const lines: string[] = [];
  const config = loadConfig({ DATA_DIR: dataDir, CLOCK: 'manual', LOG_LEVEL: 'info', ...env });
  const app = await createApiApp(config, {
    clock,
    logDestination: { write: (line: string) => void lines.push(line) },
    ...(options.silent ? { logger: false as const } : {}),
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    dataDir,
    lines,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    token: (principal) =>
      signToken(principal, DEVELOPMENT_JWT_SECRET, { now: clock.now(), expiresIn: '12h' }),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let serial = 0;
function enterpriseBody() {
  const code = creditCode(`91320214MA1TC${String(1000 + ++serial)}`);
  return {
    creditCode: code,
    name: `无锡可观测${serial}号科技有限公司`,
    jurisdiction: 'js.wuxi.xinwu',
    establishedOn: '2019-05-20',
  };
}

async function register(b: Booted, body: object, headers: Record<string, string> = {}) {
  return b.app.inject({
    method: 'POST',
    url: '/v1/enterprises',
    headers: {
      authorization: `Bearer ${await b.token(officer)}`,
      'content-type': 'application/json',
      ...headers,
    },
    payload: JSON.stringify(body),
  });
}

async function eventCorrelation(b: Booted, code: string): Promise<unknown> {
  const [event] = await b.app.get(EventStore).readStream(enterpriseStream(code));
  return event?.metadata.correlationId;
}

// Several tests boot more than one api; on a loaded machine a boot can take seconds.
jest.setTimeout(60_000);

describe('logs', () => {
  let b: Booted;
  beforeAll(async () => {
    b = await boot();
  });
  afterAll(() => b.close());

  it('writes one JSON object per line, boot lines included', () => {
    expect(b.lines.length).toBeGreaterThan(0);
    for (const line of b.lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(b.logs()[0]).toMatchObject({ level: 'info', service: 'api', pid: process.pid });
    expect(b.logs().some((log) => log.context === 'InstanceLoader')).toBe(true); // Nest's own lines
  });

  it("uses the caller's X-Correlation-Id in its log lines, the response header and the events", async () => {
    const body = enterpriseBody();
    const token = await b.token(officer);
    const res = await register(b, body, { 'x-correlation-id': 'obs-caller-42' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-correlation-id']).toBe('obs-caller-42');
    expect(await eventCorrelation(b, body.creditCode)).toBe('obs-caller-42');

    const own = b.logs().filter((log) => log.correlationId === 'obs-caller-42');
    expect(own).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        method: 'POST',
        path: '/v1/enterprises',
        route: '/v1/enterprises',
        statusCode: 201,
        durationMs: expect.any(Number),
      }),
    );
    // Neither the token, nor the Authorization header, nor anything of the body is ever written.
    const text = b.lines.join('');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text.toLowerCase()).not.toContain('bearer');
    expect(text).not.toMatch(/"authorization"/i);
    expect(text).not.toContain(body.name);
  });

  it('makes up an id when the caller sends none (or an unusable one), and uses it everywhere', async () => {
    const unusable: Array<Record<string, string>> = [{}, { 'x-correlation-id': 'spaces are refused' }];
    for (const headers of unusable) {
      const body = enterpriseBody();
      const res = await register(b, body, headers);
      expect(res.statusCode).toBe(201);
      const id = res.headers['x-correlation-id'] as string;
      expect(id).toMatch(UUID);
      expect(await eventCorrelation(b, body.creditCode)).toBe(id);
      expect(b.logs()).toContainEqual(
        expect.objectContaining({ correlationId: id, msg: 'request completed', statusCode: 201 }),
      );
    }
  });

  it("carries the id into lines that the engine's services write on the request's behalf", async () => {
    // No token: the auth guard (a Nest Logger, after the body was read from a real socket) logs
    // the refusal.
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = b.app.getHttpServer().address() as { port: number };
    const http = await fetch(`http://127.0.0.1:${port}/v1/enterprises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'obs-refused-7' },
      body: JSON.stringify({ ...enterpriseBody(), padding: 'x'.repeat(200_000) }),
    });
    const res = {
      statusCode: http.status,
      headers: { 'x-correlation-id': http.headers.get('x-correlation-id') },
    };
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-correlation-id']).toBe('obs-refused-7');
    expect(b.logs()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        context: 'Security',
        event: 'access-refused',
        status: 401,
        correlationId: 'obs-refused-7',
      }),
    );
    // Unknown routes are answered (and logged) with their id as well.
    const missing = await b.app.inject({
      method: 'GET',
      url: '/nowhere?secret=1',
      headers: { 'x-correlation-id': 'obs-404' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-correlation-id']).toBe('obs-404');
    expect(b.logs()).toContainEqual(
      expect.objectContaining({
        correlationId: 'obs-404',
        path: '/nowhere',
        route: 'unmatched',
        statusCode: 404,
      }),
    );
    expect(b.lines.join('')).not.toContain('secret=1');
  });

  it('keeps probes and scrapes out of the info log (they are at debug)', async () => {
    await b.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-correlation-id': 'obs-probe' } });
    await b.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-correlation-id': 'obs-scrape' } });
    const ids = b.logs().map((log) => log.correlationId);
    expect(ids).not.toContain('obs-probe');
    expect(ids).not.toContain('obs-scrape');
  });

  it('honours LOG_LEVEL, and silent (or logger: false) writes nothing', async () => {
    for (const [env, options] of [
      [{ LOG_LEVEL: 'silent' }, {}],
      [{}, { silent: true }],
      [{ LOG_LEVEL: 'error' }, {}],
    ] as const) {
      const quiet = await boot(env, options);
      try {
        await register(quiet, enterpriseBody());
        await quiet.app.inject({ method: 'GET', url: '/v1/enterprises/x' }); // 401, a warning
        expect(quiet.lines).toEqual([]);
      } finally {
        await quiet.close();
      }
    }
    const verbose = await boot({ LOG_LEVEL: 'debug' });
    try {
      await verbose.app.inject({ method: 'GET', url: '/health/live' });
      expect(verbose.logs()).toContainEqual(
        expect.objectContaining({ level: 'debug', route: '/health/live', statusCode: 200 }),
      );
    } finally {
      await verbose.close();
    }
  });
});

describe('metrics', () => {
  let b: Booted;
  beforeAll(async () => {
    b = await boot({ LOG_LEVEL: 'silent' });
  });
  afterAll(() => b.close());

  async function scrape(): Promise<string> {
    const res = await b.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  }
  const value = (text: string, series: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('are served at /metrics without a token: process, HTTP, commands, appends and the store', async () => {
    // The probe gives a just-booted connection one second to come up, then says down (as it
    // should in production); on a loaded machine the first scrapes can come before it is up.
    let text = await scrape();
    for (let i = 0; i < 10 && value(text, 'engine_redis_up') !== 1; i++) text = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'http_request_duration_seconds',
      'engine_command_duration_seconds',
      'engine_event_append_duration_seconds',
      'engine_events_appended_total',
      'engine_event_store_head_position',
      'engine_event_store_up',
      'engine_redis_up',
      'engine_calendar_official_last_year',
      'projection_lag_events',
      'projection_last_commit_age_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(value(text, 'projection_lag_events{projection="applications"}')).toBe(0);
    expect(value(text, 'engine_event_store_head_position{adapter="sqlite"}')).toBe(0);
    expect(value(text, 'engine_event_store_up{adapter="sqlite"}')).toBe(1);
    expect(value(text, 'engine_redis_up')).toBe(1);
    expect(value(text, 'engine_calendar_official_last_year')).toBe(officialCalendarCoverage().lastYear);
  });

  it('move with the commands: latency by command type and outcome, appends, head position, requests', async () => {
    const body = enterpriseBody();
    expect((await register(b, body)).statusCode).toBe(201);
    expect((await register(b, body)).statusCode).toBe(409); // registered already: refused
    const text = await scrape();
    const command = 'engine_command_duration_seconds_count{command="RegisterEnterpriseCommand"';
    expect(value(text, `${command},outcome="ok"}`)).toBe(1);
    expect(value(text, `${command},outcome="rejected"}`)).toBe(1);
    expect(value(text, 'engine_event_append_duration_seconds_count{adapter="sqlite",outcome="ok"}')).toBe(1);
    expect(value(text, 'engine_events_appended_total{adapter="sqlite"}')).toBe(1);
    expect(value(text, 'engine_event_store_head_position{adapter="sqlite"}')).toBe(1);
    const http = 'http_request_duration_seconds_count{method="POST",route="/v1/enterprises"';
    expect(value(text, `${http},status_code="201"}`)).toBe(1);
    expect(value(text, `${http},status_code="409"}`)).toBe(1);
    // Routes are patterns, never raw paths (bounded label values).
    await b.app.inject({ method: 'GET', url: `/v1/enterprises/${body.creditCode}` });
    expect(await scrape()).toContain('route="/v1/enterprises/:creditCode"');
  });

  it('say when the event store is down', async () => {
    const other = await boot({ LOG_LEVEL: 'silent' });
    try {
      await other.app.get(EventStore).backend.close();
      const res = await other.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('engine_event_store_up{adapter="sqlite"} 0');
    } finally {
      await other.close();
    }
  });

  it('are not served when METRICS_ENABLED=false', async () => {
    const off = await boot({ LOG_LEVEL: 'silent', METRICS_ENABLED: 'false' });
    try {
      const res = await off.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await off.close();
    }
  });
});

describe('liveness and readiness', () => {
  let b: Booted;
  beforeEach(async () => {
    b = await boot({ LOG_LEVEL: 'silent' });
  });
  afterEach(() => b.close());

  it('are both 200 while the store is up; ready carries the checks of /health', async () => {
    const live = await b.app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'up' });
    const ready = await b.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: expect.stringMatching(/^(ok|degraded)$/),
      checks: { eventStore: { status: 'up', adapter: 'sqlite', headPosition: 0 }, redis: {}, calendar: {} },
    });
  });

  it('tell "restart me" from "send me no traffic": the store down is 503 ready, 200 live', async () => {
    await b.app.get(EventStore).backend.close();
    const ready = await b.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'down', checks: { eventStore: { status: 'down' } } });
    expect((await b.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(503);
    expect((await b.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('stay ready (200, degraded) without Redis: commands do not wait on it', async () => {
    const noRedis = await boot({ LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const ready = await noRedis.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });
      const metrics = await noRedis.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('\nengine_redis_up 0\n');
    } finally {
      await noRedis.close();
    }
  });
});

describe('security headers and CORS', () => {
  let b: Booted;
  beforeAll(async () => {
    b = await boot({ LOG_LEVEL: 'silent' });
  });
  afterAll(() => b.close());

  it('sends the helmet headers on API answers, errors included', async () => {
    for (const url of ['/health', '/v1/enterprises/x', '/docs-json']) {
      const res = await b.app.inject({ method: 'GET', url });
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'strict-transport-security': expect.stringContaining('max-age='),
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('still lets the Swagger UI at /docs load: every script and stylesheet it names is served, none inline', async () => {
    const page = await b.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const html = page.body;
    // A CSP of script-src 'self' blocks inline scripts: there must be none.
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? []).toEqual([]);
    const assets = [...html.matchAll(/<(?:script|link)[^>]*?\s(?:src|href)=["']([^"']+)["']/g)].map(
      (m) => new URL(m[1], 'http://localhost/docs').pathname,
    );
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/swagger-ui.css',
        '/docs/swagger-ui-bundle.js',
        '/docs/swagger-ui-standalone-preset.js',
        '/docs/swagger-ui-init.js',
      ]),
    );
    for (const asset of assets) {
      const res = await b.app.inject({ method: 'GET', url: asset });
      expect({ asset, status: res.statusCode }).toEqual({ asset, status: 200 });
      if (asset.endsWith('.js')) expect(res.headers['content-type']).toMatch(/javascript/);
      if (asset.endsWith('.css')) expect(res.headers['content-type']).toMatch(/^text\/css/);
    }
  });

  it('is closed to other origins by default: no CORS headers, preflights refused', async () => {
    const preflight = await b.app.inject({
      method: 'OPTIONS',
      url: '/v1/enterprises',
      headers: {
        origin: 'https://portal.example.gov.cn',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await b.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://portal.example.gov.cn' },
    });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('opens to exactly the origins listed in CORS_ORIGINS', async () => {
    const open = await boot({
      LOG_LEVEL: 'silent',
      CORS_ORIGINS: 'https://portal.example.gov.cn, http://localhost:5173',
    });
    try {
      const preflight = (origin: string) =>
        open.app.inject({
          method: 'OPTIONS',
          url: '/v1/enterprises',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type,idempotency-key',
          },
        });
      const allowed = await preflight('https://portal.example.gov.cn');
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.gov.cn');
      expect(String(allowed.headers['access-control-allow-headers'])).toContain('idempotency-key');
      expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
      expect((await preflight('http://localhost:5173')).headers['access-control-allow-origin']).toBe(
        'http://localhost:5173',
      );
      expect(
        (await preflight('https://evil.example')).headers['access-control-allow-origin'],
      ).toBeUndefined();

      const body = enterpriseBody();
      const res = await register(open, body, { origin: 'https://portal.example.gov.cn' });
      expect(res.statusCode).toBe(201);
      expect(res.headers['access-control-allow-origin']).toBe('https://portal.example.gov.cn');
      expect(String(res.headers['access-control-expose-headers'])).toContain('x-correlation-id');
    } finally {
      await open.close();
    }
  });

  it('refuses a malformed CORS_ORIGINS at boot, naming the variable', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://ok.example,portal.example.gov.cn/path' })).toThrow(
      /CORS_ORIGINS must be a comma-separated list of origins/,
    );
    expect(() => loadConfig({ METRICS_ENABLED: 'maybe' })).toThrow(/METRICS_ENABLED must be true or false/);
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({}).METRICS_ENABLED).toBe(true);
  });
});

describe("the worker's operations endpoint", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-obs-worker-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers live, ready and metrics on OPS_PORT, logs JSON, and still exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const worker = startProcess('dist/apps/worker/src/main.js', {
      DATA_DIR: dataDir,
      OPS_PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const ready = await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 20_000, worker);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { eventStore: { status: 'up', adapter: 'sqlite' } } });
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'up' }]);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('engine_event_store_head_position{adapter="sqlite"} 0');
    expect(text).toContain('process_resident_memory_bytes');
    expect((await fetch(`http://127.0.0.1:${port}/anything`)).status).toBe(404);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const lines = worker
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ service: 'worker', context: 'Worker', msg: 'stopped cleanly' }),
    );
  }, 30_000);
});
