import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { creditCode } from './support/fixtures';
import { atRest, postgresDatabases } from './support/at-rest';
import { auditLog, httpDriver, perStream, until as waitUntil } from './support/http-driver';
import { freePort, type Started, startProcess, waitForHttp } from './support/processes';

/**
 * The production shape on one machine: two api processes and two worker processes over one
 * PostgreSQL event store, PostgreSQL read models and Redis. A workload goes through both apis
 * alternately, from registration to memberships. Each projection and each saga is led by one
 * worker only, and every flow happened exactly once.
 */
const PG = 'postgres://postgres@127.0.0.1:5432';
const CITY = 'js.wuxi';
const DISTRICT = 'js.wuxi.xinwu';
const APPLICATIONS = 8;
const REDIS_DB = 13;

jest.setTimeout(180_000);

describe('replicas: two apis and two workers on PostgreSQL and Redis', () => {
  const database = `replicas_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'replicas-'));
  const env = {
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    // The shared driver's tokens live ten years (test/support/http-driver.ts).
    JWT_MAX_LIFETIME_SECONDS: '315360000',
    EVENT_STORE: 'postgres',
    EVENT_STORE_URL: `${PG}/${database}`,
    READ_MODEL_URL: `${PG}/${database}`,
    EMBEDDED_WORKER: 'false',
    REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}`,
    QUEUE_PREFIX: `{replicas-${randomBytes(4).toString('hex')}}`,
    TIMER_SWEEP_SECONDS: '1',
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: 'info',
  };
  const apis: Started[] = [];
  const workers: Started[] = [];
  const bases: string[] = [];
  let turn = 0;
  /** Every call goes to the next api in turn. */
  const d = httpDriver(() => bases[turn++ % bases.length]);
  const auditor: Principal = { sub: 'auditor-replicas', role: 'auditor' };
  const admin: Principal = { sub: 'admin-replicas', role: 'admin' };

  const allEvents = () => auditLog(d, auditor);
  const until = (check: () => Promise<boolean>, what: string, timeoutMs = 90_000) =>
    waitUntil(check, what, { timeoutMs, pollMs: 100 });

  beforeAll(async () => {
    const client = new Client({ connectionString: `${PG}/test` });
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      bases.push(`http://127.0.0.1:${port}`);
      apis.push(startProcess('dist/apps/api/src/main.js', { ...env, PORT: String(port) }));
      await waitForHttp(`${bases[i]}/health`, 30_000, apis[i]);
    }
    for (let i = 0; i < 2; i++) workers.push(startProcess('dist/apps/worker/src/main.js', env));
    // The outbox starts at the head the first time it runs: wait for it before the workload.
    await until(
      async () => workers.some((w) => w.output().includes('"msg":"leading outbox:notifications')),
      'the notification outbox to start',
      30_000,
    );
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: '2026-03-02T02:00:00Z' } });
  });
  afterAll(async () => {
    for (const p of [...apis, ...workers]) p.child.kill('SIGTERM');
    await Promise.all([...apis, ...workers].map((p) => p.exited));
    const redis = new Redis(env.REDIS_URL);
    await redis.flushdb().catch(() => undefined);
    redis.disconnect();
    const client = new Client({ connectionString: `${PG}/test` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each projection and saga once, and every flow and notice exactly once', async () => {
    await d.registerExperts('r', 16, 3);
    const roundId = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '多副本测试批次',
      jurisdiction: CITY,
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    });
    const codes: string[] = [];
    for (let i = 0; i < APPLICATIONS; i++) {
      const code = creditCode(`91320214RP${String(i + 1).padStart(7, '0')}`);
      codes.push(code);
      await d.registerEnterprise({
        creditCode: code,
        name: `多副本${i}有限公司`,
        jurisdiction: DISTRICT,
        establishedOn: '2020-05-20',
      });
      const id = await d.apply(code, roundId, eagletData(i));
      await d.passReviews(id, DISTRICT, CITY);
      expect(await d.scoreAll(id, await d.drawPanel(id, CITY), 84)).toBe('passed');
    }
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: '2026-04-30T10:00:00Z' } });
    const { endsOn } = await d.publicise(roundId, CITY);
    await until(
      async () =>
        (await allEvents()).filter((e) => e.type === 'ApplicationPublicised').length === APPLICATIONS,
      'publicity',
    );
    const publicityOver = `${endsOn}T16:00:00Z`;
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: publicityOver } });
    await until(
      async () => (await d.memberships('?programme=eaglet')).length === APPLICATIONS,
      'every membership in the read model',
    );
    await atRest(await postgresDatabases(`${PG}/${database}`), publicityOver);

    const events = await allEvents();
    const streamsWith = (type: string) => perStream(events, type);
    expect(streamsWith('RoundFinalized')).toEqual([1]);
    expect(streamsWith('ApplicationPublicised')).toEqual(Array(APPLICATIONS).fill(1));
    expect(streamsWith('ApplicationAdmitted')).toEqual(Array(APPLICATIONS).fill(1));
    expect(streamsWith('MembershipGranted')).toEqual(Array(APPLICATIONS).fill(1));
    expect(streamsWith('TimerFired').every((n) => n === 1)).toBe(true);
    expect(streamsWith('TimerScheduled').every((n) => n === 1)).toBe(true);

    // Each projection and each saga was led by exactly one of the two workers.
    const led = (output: string) =>
      new Set([...output.matchAll(/"msg":"leading ([a-z:-]+) \(pg_advisory_lock/g)].map((m) => m[1]));
    const [first, second] = workers.map((w) => led(w.output()));
    for (const name of [
      'applications',
      'enterprises',
      'rounds',
      'timers',
      'memberships',
      'saga:publicity',
      'saga:memberships',
    ]) {
      expect({ name, leaders: Number(first.has(name)) + Number(second.has(name)) }).toEqual({
        name,
        leaders: 1,
      });
    }
    // Each notice was delivered once, though two workers ran the outbox and the channels.
    const district: Principal = { sub: 'officer-replicas', role: 'officer', jurisdiction: DISTRICT };
    const inbox = await d.expect(200, 'GET', '/v1/inbox?limit=100', { as: district });
    const submitted = inbox.items.filter((n: { type: string }) => n.type === 'ApplicationSubmitted');
    expect(submitted).toHaveLength(APPLICATIONS);
    expect(new Set(submitted.map((n: { eventId: string }) => n.eventId)).size).toBe(APPLICATIONS);
    for (const code of codes) {
      await until(async () => {
        const own = await d.expect(200, 'GET', '/v1/inbox?limit=100', {
          as: { sub: `ent-${code}`, role: 'enterprise', org: code },
        });
        return own.items.some((n: { type: string }) => n.type === 'ApplicationAdmitted');
      }, 'the admission notice');
      const own = await d.expect(200, 'GET', '/v1/inbox?limit=100', {
        as: { sub: `ent-${code}`, role: 'enterprise', org: code },
      });
      expect(own.items.filter((n: { type: string }) => n.type === 'ApplicationAdmitted')).toHaveLength(1);
    }
    const verify = await d.expect(200, 'GET', '/v1/audit/verify', { as: auditor });
    expect(verify.ok).toBe(true);
  });
});
