import { eagletData } from '@engine/incubation/testing/sample-applications';
import { DEVELOPMENT_JWT_SECRET, type Principal, signToken } from '@engine/platform';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { admin, enterpriseOf, officerOf } from '../apps/demo/src/engine-driver';
import { creditCode } from './support/fixtures';
import { httpDriver, until as waitUntil } from './support/http-driver';
import { webhookReceiver } from './support/notification-receivers';
import { freePort, type Started, startProcess, waitForHttp } from './support/processes';

/**
 * Tracing that joins up, in the production shape: the api and the worker as processes over the
 * PostgreSQL event store and Redis, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a collector in
 * this test that keeps the spans in memory. (The instrumentations patch modules through
 * require hooks, which Jest's own module loader bypasses: only real processes show them.)
 *
 * One request that returns an application, sent with a caller's W3C traceparent, must yield one
 * trace across both processes: the api's server span and its PostgreSQL queries; the worker's
 * reaction to the event it wrote (the event's metadata carries the trace), the queue commands
 * it sends to Redis, the notification job's delivery and its webhook call (a traceparent header
 * the receiver can continue); and, when the deadline lapses, the timer that fires.
 */
const PG = 'postgres://postgres@127.0.0.1:5432';
const DISTRICT = 'js.wuxi.xinwu';
const SECRET = 'a-long-webhook-secret-0123456789';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

jest.setTimeout(120_000);

interface CollectedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  scope: string;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP receiver (JSON, as @opentelemetry/exporter-trace-otlp-http sends) keeping spans in memory. */
async function otlpCollector() {
  const spans: CollectedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resource of body.resourceSpans ?? []) {
          const service = resource.resource?.attributes?.find(
            (a: { key: string }) => a.key === 'service.name',
          )?.value?.stringValue;
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes: Record<string, unknown> = {};
              for (const a of span.attributes ?? []) attributes[a.key] = Object.values(a.value ?? {})[0];
              spans.push({
                service,
                name: span.name,
                kind: span.kind,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId || undefined,
                scope: scope.scope?.name ?? '',
                attributes,
              });
            }
          }
        }
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  // The exporters keep their connection alive between batches (every 100 ms here): a server
  // closing an idle one as a batch is sent would lose that batch.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    spans,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('tracing across processes: HTTP, PostgreSQL, Redis, events, queued jobs and webhooks', () => {
  const database = `tracing_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tracing-'));
  const redisUrl = 'redis://127.0.0.1:6379/12';
  let collector: Awaited<ReturnType<typeof otlpCollector>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let api: Started;
  let worker: Started;
  let base = '';
  const d = httpDriver(() => base);

  beforeAll(async () => {
    collector = await otlpCollector();
    hooks = await webhookReceiver(SECRET);
    const client = new Client({ connectionString: `${PG}/test` });
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const env = {
      DATA_DIR: dataDir,
      CLOCK: 'manual',
      JWT_MAX_LIFETIME_SECONDS: '315360000',
      EVENT_STORE: 'postgres',
      EVENT_STORE_URL: `${PG}/${database}`,
      READ_MODEL_URL: `${PG}/${database}`,
      EMBEDDED_WORKER: 'false',
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: `{tracing-${randomBytes(4).toString('hex')}}`,
      TIMER_SWEEP_SECONDS: '1',
      RATE_LIMIT_ENABLED: 'false',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      // Batches go out every 100 ms instead of every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'info',
    };
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = startProcess('dist/apps/api/src/main.js', { ...env, PORT: String(port) });
    await waitForHttp(`${base}/health`, 60_000, api);
    worker = startProcess('dist/apps/worker/src/main.js', env);
    await waitUntil(
      async () => worker.output().includes('"msg":"leading outbox:notifications'),
      'the notification outbox to start',
      { timeoutMs: 30_000, detail: () => worker.output() },
    );
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: '2026-03-02T02:00:00Z' } });
  });

  afterAll(async () => {
    for (const p of [api, worker]) p?.child.kill('SIGTERM');
    await Promise.all([api, worker].map((p) => p?.exited));
    await collector?.close();
    await hooks?.close();
    const redis = new Redis(redisUrl);
    await redis.flushdb().catch(() => undefined);
    redis.disconnect();
    const client = new Client({ connectionString: `${PG}/test` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const inTrace = () => collector.spans.filter((s) => s.traceId === TRACE_ID);
  const eventually = <T>(find: () => T | undefined, what: string): Promise<T> => {
    let found: T | undefined;
    return waitUntil(async () => (found = find()) !== undefined, what, {
      timeoutMs: 30_000,
      detail: () =>
        `${collector.spans.length} spans collected; the worker's last: ${collector.spans
          .filter((s) => s.service === 'worker')
          .slice(-5)
          .map((s) => s.name)
          .join(', ')}\nspans in the trace:\n${inTrace()
          .map((s) => `  ${s.service} ${s.scope} ${s.name}`)
          .join('\n')}\n${worker.output().slice(-4000)}`,
    }).then(() => found!);
  };

  it('one trace from the request through the worker, its queued jobs and its webhook call', async () => {
    const roundId = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '追踪测试批次',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    });
    const code = creditCode('91320214TP0000001');
    await d.registerEnterprise({
      creditCode: code,
      name: '无锡追踪传播有限公司',
      jurisdiction: DISTRICT,
      establishedOn: '2020-05-20',
    });
    await d.expect(201, 'POST', '/v1/webhooks', {
      as: enterpriseOf(code),
      body: { url: hooks.url('/hook'), events: ['ApplicationReturned'], secret: SECRET },
    });
    const id = await d.apply(code, roundId, eagletData());

    // The traced request: an officer returns the application, from a caller with a trace.
    const officer: Principal = officerOf(DISTRICT);
    const token = await signToken(officer, DEVELOPMENT_JWT_SECRET, {
      expiresIn: '3650d',
      now: new Date('2026-03-01T00:00:00Z'),
    });
    const res = await fetch(`${base}/v1/applications/${id}/reviews`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
      },
      body: JSON.stringify({
        stage: 'district',
        decision: 'return',
        reason: '补充材料',
        respondBy: '2026-03-20',
      }),
    });
    expect(res.status).toBe(200);

    // (a) The api: the HTTP instrumentation's server span continues the caller's span; the
    // route's span, the command and the PostgreSQL queries of the append are in the trace.
    const server = await eventually(
      () =>
        inTrace().find(
          (s) => s.service === 'api' && s.scope === '@opentelemetry/instrumentation-http' && s.kind === 2,
        ),
      "the api's server span",
    );
    expect(server.parentSpanId).toBe(CALLER_SPAN);
    expect(server).toMatchObject({
      name: 'POST /v1/applications/:id/reviews',
      attributes: { 'http.route': '/v1/applications/:id/reviews', 'http.response.status_code': 200 },
    });
    const route = await eventually(
      () =>
        inTrace().find(
          (s) => s.scope === 'cultivation-engine' && s.name === 'POST /v1/applications/:id/reviews',
        ),
      "the route's span",
    );
    expect(route.parentSpanId).toBe(server.spanId);
    const command = await eventually(
      () => inTrace().find((s) => s.service === 'api' && s.name.startsWith('command ')),
      'the command span',
    );
    await eventually(
      () =>
        inTrace().find(
          (s) => s.service === 'api' && s.scope === '@opentelemetry/instrumentation-pg' && s.kind === 3,
        ),
      'a PostgreSQL query span in the api',
    );

    // (b) The worker continues the trace the event carries in its metadata: the saga and the
    // notification outbox react as children of the command that wrote it, and the jobs they
    // queue (Redis commands, instrumented) are picked up by spans of the same trace.
    const saga = await eventually(
      () =>
        inTrace().find(
          (s) => s.service === 'worker' && s.name === 'process saga:deadlines ApplicationReturned',
        ),
      "the deadlines saga's reaction in the worker",
    );
    expect(saga.parentSpanId).toBe(command.spanId);
    const outbox = await eventually(
      () =>
        inTrace().find(
          (s) => s.service === 'worker' && s.name === 'process outbox:notifications ApplicationReturned',
        ),
      "the notification outbox's reaction",
    );
    expect(outbox.parentSpanId).toBe(command.spanId);
    await eventually(
      () =>
        inTrace().find(
          (s) =>
            s.service === 'worker' && s.scope === '@opentelemetry/instrumentation-ioredis' && s.kind === 3,
        ),
      'a Redis command span in the worker',
    );
    const job = await eventually(
      () => inTrace().find((s) => s.service === 'worker' && s.name === 'job notify-webhook'),
      'the webhook job, picked up in the trace it was queued in',
    );

    // (c) The webhook call carries the trace to the receiver: its traceparent names the
    // worker's HTTP client span, a child of the job's span.
    const hook = await eventually(
      () => hooks.received.find((r) => r.path === '/hook' && r.json.type === 'ApplicationReturned'),
      'the webhook delivery',
    );
    const [, traceId, parentId] = String(hook.headers.traceparent).split('-');
    expect(traceId).toBe(TRACE_ID);
    const call = await eventually(
      () => inTrace().find((s) => s.spanId === parentId),
      'the span named by the webhook call',
    );
    expect(call).toMatchObject({ service: 'worker', kind: 3, scope: '@opentelemetry/instrumentation-http' });
    expect(call.parentSpanId).toBe(job.spanId);

    // And when the deadline lapses, the timer the saga scheduled fires in the same trace.
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: '2026-03-25T02:00:00Z' } });
    await eventually(
      () => inTrace().find((s) => s.service === 'worker' && /^process .* TimerFired$/.test(s.name)),
      'the reaction to the timer firing, in the trace',
    );
  });
});
