import type { RedisProbe } from '../redis/redis-probe';
import { checkHealth, PROJECTION_LAG_DEGRADED } from './health';
import type { ProjectionLag } from './metrics';

const store = { backend: { name: 'fake' }, ping: async () => undefined, headPosition: async () => 5000 };
const redis = { ping: async () => ({ status: 'up', latencyMs: 1 }) } as unknown as RedisProbe;
const now = new Date('2026-03-02T02:00:00.000Z');
const lagging = (applications: number, timeline: number) => ({
  lag: async (): Promise<ProjectionLag[]> => [
    { projection: 'applications', checkpoint: 5000 - applications, head: 5000, lag: applications },
    { projection: 'timeline', checkpoint: 5000 - timeline, head: 5000, lag: timeline },
  ],
});

describe('health: projections', () => {
  it('is ok while projections keep up, naming each one’s lag', async () => {
    const report = await checkHealth(store, redis, now, lagging(3, 0));
    expect(report.status).toBe('ok');
    expect(report.checks.projections).toEqual({
      status: 'up',
      maxLag: 3,
      projections: [
        { projection: 'applications', lag: 3 },
        { projection: 'timeline', lag: 0 },
      ],
    });
  });

  it('says "projections lagging by N events" and is degraded, not down, when they fall behind', async () => {
    const behind = PROJECTION_LAG_DEGRADED + 500;
    const report = await checkHealth(store, redis, now, lagging(behind, 2));
    expect(report.status).toBe('degraded');
    expect(report.checks.projections).toMatchObject({
      status: 'lagging',
      maxLag: behind,
      message: `projections lagging by ${behind} events: applications (${behind})`,
    });
  });

  it('reports read models it cannot ask as down without failing the store check', async () => {
    const report = await checkHealth(store, redis, now, { lag: () => Promise.reject(new Error('gone')) });
    expect(report.status).toBe('degraded');
    expect(report.checks.projections).toEqual({ status: 'down', error: 'gone' });
    expect(report.checks.eventStore.status).toBe('up');
  });
});
