import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { EventStore } from '@engine/event-store';
import { NotificationQueues, NotificationsRuntime } from '@engine/notifications';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { eventually, webhookReceiver } from './support/notification-receivers';

const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const enterpriseOf = (code: string): Principal => ({ sub: `ent-${code}`, role: 'enterprise', org: code });
const SECRET = 'outage-webhook-secret-0123456789';

async function sparePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Redis of this test's own, without persistence: stopping it loses whatever it held. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  await eventually(
    async () => {
      try {
        if (client.status !== 'ready') await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        client.disconnect();
        return false;
      }
    },
    5000,
    'redis-server to answer',
  );
  client.disconnect();
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/**
 * Redis goes away while officers keep working: the api accepts every command (health
 * degraded), the outbox retries without parking anything, and when Redis is back every
 * notice arrives, exactly once, in the inbox and at the webhook.
 */
describe('notifications survive a Redis outage: none lost, none doubled', () => {
  let h: Harness;
  let redis: ChildProcess;
  let port: number;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeAll(async () => {
    port = await sparePort();
    redis = await startRedis(port);
    hooks = await webhookReceiver(SECRET);
    // The receivers listen on loopback: allow it (webhooks reach public addresses only by default).
    h = await startApi({
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1' },
    });
    await h.app.get(NotificationsRuntime).ready();
  }, 30_000);

  afterAll(async () => {
    await h?.close();
    if (redis) await stopRedis(redis);
    await hooks?.close();
  }, 30_000);

  it('delivers every notice once after Redis returns', async () => {
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '停机测试批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    const applications: { id: string; code: string }[] = [];
    for (let i = 1; i <= 3; i++) {
      const code = creditCode(`91320214MR${String(i).padStart(7, '0')}`);
      const as = enterpriseOf(code);
      await h.request('POST', '/v1/enterprises', {
        as,
        body: {
          creditCode: code,
          name: `停机测试${i}有限公司`,
          jurisdiction: 'js.wuxi.xinwu',
          establishedOn: '2019-05-20',
        },
      });
      expect(
        (
          await h.request('POST', '/v1/webhooks', {
            as,
            body: { url: hooks.url('/hook'), events: ['ApplicationReturned'], secret: SECRET },
          })
        ).status,
      ).toBe(201);
      const created = await h.request('POST', '/v1/applications', {
        as,
        body: { roundId: round.body.id, creditCode: code, data: eagletData() },
      });
      expect((await h.request('POST', `/v1/applications/${created.body.id}/submit`, { as })).status).toBe(
        200,
      );
      applications.push({ id: created.body.id, code });
    }
    // The submissions reached the district officers while Redis was up.
    await eventually(
      async () => (await h.request('GET', '/v1/inbox', { as: xinwu })).body.items.length === 3,
      5000,
      'submission notices',
    );

    // Counts the outbox's failed hand-overs of the returns, so the test awaits them instead of sleeping.
    const runtime = h.app.get(NotificationsRuntime);
    let refused = 0;
    const handle = runtime.outbox.handle.bind(runtime.outbox);
    runtime.outbox.handle = async (event) => {
      try {
        return await handle(event);
      } catch (error) {
        if (event.type === 'ApplicationReturned') refused++;
        throw error;
      }
    };
    await stopRedis(redis);
    for (const { id } of applications) {
      const started = Date.now();
      const res = await h.request('POST', `/v1/applications/${id}/reviews`, {
        as: xinwu,
        body: {
          stage: 'district',
          decision: 'return',
          reason: '请补充研发费用明细',
          respondBy: '2026-03-20',
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('returned');
      expect(Date.now() - started).toBeLessThan(3000);
    }
    const health = await h.request('GET', '/health');
    expect(health.body.status).toBe('degraded');
    // Nothing can be delivered meanwhile, and the outbox parks nothing: it has tried the same
    // event again after a failure rather than giving up on it.
    await eventually(() => refused >= 2, 20_000, 'the outbox to retry a return while Redis is down');
    expect(hooks.received).toHaveLength(0);
    expect(
      (await h.request('GET', '/v1/admin/parked', { as: { sub: 'admin-1', role: 'admin' } })).body,
    ).toEqual([]);

    redis = await startRedis(port);
    for (const { code } of applications) {
      await eventually(
        async () =>
          (await h.request('GET', '/v1/inbox', { as: enterpriseOf(code) })).body.items.some(
            (n: { type: string }) => n.type === 'ApplicationReturned',
          ),
        20_000,
        `the inbox notice of ${code}`,
      );
    }
    await eventually(() => hooks.received.length >= 3, 20_000, 'three webhook deliveries');
    // Any duplicate would already be queued: the outbox has handed over everything up to the head,
    // and the channel queues have nothing left waiting, running or delayed.
    await runtime.outboxRunner!.reached(await h.app.get(EventStore).headPosition());
    const queues = h.app.get(NotificationQueues);
    await eventually(
      async () =>
        (await queues.counts()).every(
          ({ counts }) => counts.waiting + counts.active + counts.delayed + (counts.prioritized ?? 0) === 0,
        ),
      20_000,
      'the channel queues to drain',
    );
    for (const { code } of applications) {
      const inbox = (await h.request('GET', '/v1/inbox', { as: enterpriseOf(code) })).body.items;
      expect(inbox.filter((n: { type: string }) => n.type === 'ApplicationReturned')).toHaveLength(1);
      const delivered = hooks.received.filter((r) => (r.json.recipient as { id: string }).id === code);
      expect(delivered).toHaveLength(1);
      expect(delivered[0].validSignature).toBe(true);
    }
    expect(new Set(hooks.received.map((r) => r.headers['x-event-id'])).size).toBe(3);
    expect((await h.request('GET', '/health')).body.status).not.toBe('down');
  }, 90_000);
});
