import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { creditCode } from './support/fixtures';
import { atRest, sqliteDatabases } from './support/at-rest';
import { auditLog, httpDriver, perStream, until as waitUntil } from './support/http-driver';
import { freePort, type Started, startProcess, waitForHttp } from './support/processes';

/**
 * Nothing lost, nothing doubled when the worker dies. An api process and a worker process
 * share the embedded store; the worker is killed with SIGKILL while it is finalizing rounds
 * whose publicity just ended (and while expert panels complete through the api), the queue's
 * Redis database is flushed while the publicity timers are pending, and a new worker is
 * started. Every flow must then complete exactly once.
 */
const CITY = 'js.wuxi';
const DISTRICT = 'js.wuxi.xinwu';
const ROUNDS = 2;
const PER_ROUND = 12;
const PANELS = 6;
const REDIS_DB = 11; // a database of its own: flushing it touches no other test

jest.setTimeout(180_000);

describe('crash: SIGKILL the worker mid-flow, flush Redis, restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crash-'));
  const redisUrl = `redis://127.0.0.1:6379/${REDIS_DB}`;
  const env = {
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    // The shared driver's tokens live ten years (test/support/http-driver.ts).
    JWT_MAX_LIFETIME_SECONDS: '315360000',
    EVENT_STORE: 'sqlite',
    EMBEDDED_WORKER: 'false',
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `{crash-${randomBytes(4).toString('hex')}}`,
    TIMER_SWEEP_SECONDS: '1',
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  };
  let api: Started;
  let worker: Started;
  let base: string;
  const d = httpDriver(() => base);
  const auditor: Principal = { sub: 'auditor-crash', role: 'auditor' };
  const admin: Principal = { sub: 'admin-crash', role: 'admin' };

  const allEvents = () => auditLog(d, auditor);
  const count = async (type: string) => (await allEvents()).filter((e) => e.type === type).length;
  const until = (check: () => Promise<boolean>, what: string, timeoutMs = 60_000) =>
    waitUntil(check, what, { timeoutMs, detail: () => worker?.output() ?? '' });

  const startWorker = () => startProcess('dist/apps/worker/src/main.js', env);

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = startProcess('dist/apps/api/src/main.js', { ...env, PORT: String(port) });
    await waitForHttp(`${base}/health`, 30_000, api);
    worker = startWorker();
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: '2026-03-02T02:00:00Z' } });
  });
  afterAll(async () => {
    api?.child.kill('SIGTERM');
    worker?.child.kill('SIGTERM');
    await Promise.all([api?.exited, worker?.exited]);
    const redis = new Redis(redisUrl);
    await redis.flushdb().catch(() => undefined);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('completes every flow exactly once', async () => {
    try {
      await flow();
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\n--- api ---\n${api.output().slice(-3000)}\n--- worker ---\n${worker.output().slice(-3000)}`,
        { cause: error },
      );
    }
  });

  async function flow() {
    await d.registerExperts('c', 16, 3);
    const roundIds: string[] = [];
    const pendingPanels: { id: string; last: string }[] = [];
    let serial = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const roundId = await d.openRound({
        programme: 'eaglet',
        year: 2026,
        batch: r + 1,
        title: `崩溃测试批次${r + 1}`,
        jurisdiction: CITY,
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      });
      roundIds.push(roundId);
      for (let i = 0; i < PER_ROUND + (r === 0 ? PANELS : 0); i++) {
        const code = creditCode(`91320214CR${String(++serial).padStart(7, '0')}`);
        await d.registerEnterprise({
          creditCode: code,
          name: `崩溃测试${serial}有限公司`,
          jurisdiction: DISTRICT,
          establishedOn: '2020-05-20',
        });
        const id = await d.apply(code, roundId, eagletData(i));
        await d.passReviews(id, DISTRICT, CITY);
        const experts = await d.drawPanel(id, CITY);
        if (i < PER_ROUND) await d.scoreAll(id, experts, 82);
        else {
          // Panels left one score short: completed during the crash.
          for (const expert of experts.slice(0, 4)) await d.score(id, expert, 80);
          pendingPanels.push({ id, last: experts[4] });
        }
      }
    }
    // The window closes; both rounds go into publicity.
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: '2026-04-30T10:00:00Z' } });
    const ends: string[] = [];
    for (const roundId of roundIds) ends.push((await d.publicise(roundId, CITY)).endsOn);
    await until(
      async () => (await count('ApplicationPublicised')) === ROUNDS * PER_ROUND,
      'publicity to reach every application',
    );

    // Publicity ends (the timers are now due) and the panels complete, all at once...
    const publicityOver = `${ends.sort().at(-1)}T16:00:00Z`;
    await d.expect(200, 'POST', '/v1/admin/clock', { as: admin, body: { now: publicityOver } });
    // The jump leaves the last seats overdue too, so the worker may replace an expert first (the
    // expert-review saga), and a replacement in turn: the last one the history names scores.
    const completePanel = async (p: { id: string; last: string }) => {
      let expert = p.last;
      for (let attempt = 0; ; attempt++) {
        try {
          return await d.score(p.id, expert, 90);
        } catch (error) {
          if (!(error as Error).message.includes('NOT_ON_PANEL') || attempt >= 10) throw error;
          const history = (await allEvents()).filter((e) => e.stream === `application-${p.id}`);
          const replaced = history.find(
            (e) => e.type === 'ExpertReplaced' && (e.data as { expertId: string }).expertId === expert,
          );
          if (!replaced) {
            const seats = history.filter((e) => /Panel|Expert|Score/.test(e.type));
            throw new Error(
              `${(error as Error).message}; ${expert} was not replaced: ${JSON.stringify(seats)}`,
              { cause: error },
            );
          }
          expert = (replaced.data as { replacement: string }).replacement;
        }
      }
    };
    await Promise.all(pendingPanels.map(completePanel));
    // ...and the worker dies in the middle of finalizing (or before it started).
    await until(
      async () => (await count('ApplicationAdmitted')) > 0 || (await count('RoundFinalized')) > 0,
      'the first finalization',
      30_000,
    ).catch(() => undefined);
    worker.child.kill('SIGKILL');
    await worker.exited;
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();

    worker = startWorker();
    await until(async () => (await count('MembershipGranted')) === ROUNDS * PER_ROUND, 'every membership');
    // Anything still in flight lands before we count: every checkpoint at the head, no timer due.
    await atRest(sqliteDatabases(dataDir), publicityOver);

    const events = await allEvents();
    const streamsWith = (type: string) => perStream(events, type);
    const total = ROUNDS * PER_ROUND;
    expect(streamsWith('RoundFinalized')).toEqual(Array(ROUNDS).fill(1));
    expect(streamsWith('ApplicationAdmitted')).toEqual(Array(total).fill(1));
    expect(streamsWith('MembershipGranted')).toEqual(Array(total).fill(1));
    expect(streamsWith('EnterpriseMembershipRecorded')).toEqual(Array(total).fill(1));
    expect(streamsWith('ExpertReviewConcluded')).toHaveLength(total + PANELS);
    expect(streamsWith('ExpertReviewConcluded').every((n) => n === 1)).toBe(true);
    // Each timer fired at most once, and the publicity timers did fire (after Redis lost them).
    expect(streamsWith('TimerFired').every((n) => n === 1)).toBe(true);
    expect(
      events.filter(
        (e) => e.type === 'TimerFired' && (e.data as { purpose: string }).purpose === 'publicity-end',
      ),
    ).toHaveLength(ROUNDS);
    for (const roundId of roundIds) {
      expect((await d.list(roundId, 'final')).length).toBe(PER_ROUND);
    }
    expect((await d.memberships('?programme=eaglet')).length).toBe(total);
    const verify = await d.expect(200, 'GET', '/v1/audit/verify', { as: auditor });
    expect(verify.ok).toBe(true);
  }
});
