import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@engine/event-store';
import { loadConfig, ManualClock } from '@engine/platform';
import { officialCalendarCoverage } from '@engine/platform/calendar/working-days';
import { createApiApp } from '../apps/api/src/app.factory';

async function boot(
  env: Record<string, string>,
  now = '2026-06-01T00:00:00Z',
): Promise<NestFastifyApplication> {
  const app = await createApiApp(loadConfig(env), { logger: false, clock: new ManualClock(new Date(now)) });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('GET /health', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-health-'));
  });
  afterEach(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the event store and Redis as up when both are there', async () => {
    app = await boot({ DATA_DIR: dataDir });
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      checks: {
        eventStore: { status: 'up', adapter: 'sqlite', headPosition: 0 },
        redis: { status: 'up', latencyMs: expect.any(Number) },
        calendar: { status: 'up', firstYear: 2004, lastYear: expect.any(Number) },
        projections: {
          status: 'up',
          maxLag: 0,
          projections: expect.arrayContaining([{ projection: 'applications', lag: 0 }]),
        },
      },
    });
  });

  it('is degraded but still 200 when Redis cannot be reached', async () => {
    app = await boot({ DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1' });
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      checks: { eventStore: { status: 'up' }, redis: { status: 'down' } },
    });
  });

  it('is degraded when the date of the engine runs past the installed holiday calendar', async () => {
    const { lastYear } = officialCalendarCoverage();
    app = await boot({ DATA_DIR: dataDir }, `${lastYear + 1}-01-02T00:00:00Z`);
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      checks: { calendar: { status: 'provisional', warning: expect.stringContaining(`${lastYear + 1}`) } },
    });
  });

  it('answers 503 when the event store is down', async () => {
    app = await boot({ DATA_DIR: dataDir });
    await app.get(EventStore).backend.close(); // the store becomes unusable under the running api
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'down', checks: { eventStore: { status: 'down' } } });
  });

  it('answers unknown routes and oversized bodies in the contract error shape', async () => {
    app = await boot({ DATA_DIR: dataDir });
    const missing = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: expect.any(String),
    });
    const big = await app.inject({
      method: 'POST',
      url: '/health',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('serves the OpenAPI document', async () => {
    app = await boot({ DATA_DIR: dataDir });
    const res = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/health'].get).toBeDefined();
  });
});
