/**
 * npm run bench:notify — notifications delivered per second, end to end, against the Redis at
 * REDIS_URL (default 127.0.0.1:6379) and a SQLite store and read-model file in a temp dir:
 *
 *   notify/s      NOTICES ApplicationReturned events appended to the store → the outbox (an
 *                 EventProcessorRunner with the real OutboxProcessor) enqueues one inbox job
 *                 each → the inbox channel's BullMQ worker writes the inbox row; timed from the
 *                 first append to the last row written
 *   bare/s        the same number of jobs added one by one to a queue and taken by a BullMQ
 *                 worker that does nothing: the floor the queue itself sets
 *
 * Each is run RUNS times (default 5); medians and the ratio are printed (target >= 50%) and
 * written to bench/results/notify.json. Every run uses a queue prefix of its own, removed after.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, type NewEvent } from '../libs/event-store/src';
import { SqliteEventStore } from '../libs/event-store/src/adapters/sqlite/sqlite-event-store';
import { queueConnection } from '../libs/platform/src/redis/queue-connection';
import { ReadModelDatabase } from '../libs/read-models/src/database';
import { EventProcessorRunner } from '../libs/workflow/src/processor/event-processor';
import {
  InboxChannel,
  InboxStore,
  type NotificationJob,
  NotificationQueues,
  NotificationRules,
  OutboxProcessor,
  parseRules,
  queueName,
  WebhookStore,
} from '@engine/notifications';
import { median } from './bench-support';

const NOTICES = Number(process.env.NOTICES ?? 2000);
const RUNS = Number(process.env.RUNS ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONCURRENCY = 16;
const CODE = '91320214MA1XK0001X';

const channel = { attempts: 3, backoffMs: 100, keepCompleted: 100, keepFailed: 100 };
const rules = new NotificationRules(
  parseRules({
    version: 1,
    channels: { inbox: channel, webhook: channel, email: channel, sms: channel },
    rules: [
      {
        id: 'application-returned',
        on: 'ApplicationReturned',
        to: ['enterprise'],
        channels: ['inbox'],
        template: {
          zh: {
            subject: '申报材料被退回，请于{{data.respondBy}}前补正',
            body: '{{enterprise.name}}：{{data.reason}}',
          },
          en: {
            subject: 'Returned: respond by {{data.respondBy}}',
            body: '{{enterprise.name}}: {{data.reason}}',
          },
        },
      },
    ],
  }),
);

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  type,
  data,
  metadata: {
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { sub: 'bench', role: 'officer' },
    occurredAt: new Date().toISOString(),
  },
});

async function untilTrue(check: () => Promise<boolean> | boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

async function inParallel(
  count: number,
  width: number,
  work: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** One end-to-end run: appended events → inbox rows. Returns notices per second. */
async function endToEnd(run: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-notify-'));
  const prefix = `{bench-notify-${randomBytes(4).toString('hex')}}`;
  const store = new EventStore(
    new SqliteEventStore({ file: join(dir, 'events.sqlite'), now: () => new Date(), synchronous: 'NORMAL' }),
  );
  const db = await ReadModelDatabase.open({ dialect: 'sqlite', file: join(dir, 'read-models.sqlite') });
  const queues = new NotificationQueues({ redisUrl: REDIS_URL, prefix, rules, warn: () => undefined });
  const inbox = new InboxStore(db);
  const deliver = new InboxChannel(inbox, () => new Date());
  try {
    await store.append(
      `enterprise-${CODE}`,
      [
        event('EnterpriseRegistered', {
          creditCode: CODE,
          name: '无锡芯动微电子科技有限公司',
          jurisdiction: 'js.wuxi.xinwu',
          establishedOn: '2019-05-20',
        }),
      ],
      'no-stream',
    );
    const ids = Array.from({ length: NOTICES }, (_, i) => `bench-${run}-${i}`);
    await inParallel(NOTICES, 50, (i) =>
      store.append(
        `application-${ids[i]}`,
        [
          event('ApplicationCreated', {
            applicationId: ids[i],
            roundId: 'round-1',
            programme: 'eaglet',
            policyVersion: 'eaglet/wuxi-2024',
            creditCode: CODE,
            jurisdiction: 'js.wuxi.xinwu',
            roundJurisdiction: 'js.wuxi',
            data: {},
          }),
        ],
        'no-stream',
      ),
    );
    const runner = new EventProcessorRunner({
      store,
      db,
      processor: new OutboxProcessor(store, rules, new WebhookStore(db), queues),
      now: () => new Date(),
      maxAttempts: Number.POSITIVE_INFINITY,
      pollIntervalMs: 50,
    });
    const worker = new Worker(
      queueName('inbox'),
      async (job) => deliver.deliver(job.data as NotificationJob),
      { connection: queueConnection(REDIS_URL, 'worker'), prefix, concurrency: CONCURRENCY },
    );
    await worker.waitUntilReady();
    runner.start();
    await runner.reached(0);
    const started = performance.now();
    await inParallel(NOTICES, 50, (i) =>
      store.append(
        `application-${ids[i]}`,
        [
          event('ApplicationReturned', {
            stage: 'district',
            reason: '请补充研发费用明细',
            respondBy: '2026-03-20',
          }),
        ],
        0,
      ),
    );
    await untilTrue(async () => {
      const row = await db.reader
        .selectFrom('notification_inbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n) >= NOTICES;
    });
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    await worker.close();
    return NOTICES / seconds;
  } finally {
    await queues.close();
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await dropPrefix(prefix);
  }
}

/** The floor: jobs added one by one, taken by a worker that does nothing. Jobs per second. */
async function bare(): Promise<number> {
  const prefix = `{bench-bare-${randomBytes(4).toString('hex')}}`;
  const queue = new Queue('bare', {
    connection: queueConnection(REDIS_URL, 'producer'),
    prefix,
    defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  let done = 0;
  const worker = new Worker('bare', async () => undefined, {
    connection: queueConnection(REDIS_URL, 'worker'),
    prefix,
    concurrency: CONCURRENCY,
  });
  worker.on('completed', () => done++);
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const started = performance.now();
    await inParallel(NOTICES, 50, (i) =>
      queue.add('noop', { i, subject: '申报材料被退回' }, { jobId: `j-${i}` }),
    );
    await untilTrue(() => done >= NOTICES);
    return NOTICES / ((performance.now() - started) / 1000);
  } finally {
    await worker.close();
    await queue.close();
    await dropPrefix(prefix);
  }
}

async function main() {
  const e2e: number[] = [];
  const floor: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    floor.push(await bare());
    e2e.push(await endToEnd(run));
    console.log(
      `run ${run}: bare ${floor.at(-1)!.toFixed(0)} jobs/s, end to end ${e2e.at(-1)!.toFixed(0)} notices/s`,
    );
  }
  const result = {
    notices: NOTICES,
    runs: RUNS,
    endToEndPerSecond: Math.round(median(e2e)),
    bareWorkerPerSecond: Math.round(median(floor)),
    ratio: Number((median(e2e) / median(floor)).toFixed(3)),
    target: 0.5,
  };
  console.log(
    `median: end to end ${result.endToEndPerSecond} notices/s (event appended → inbox row), bare BullMQ worker ${result.bareWorkerPerSecond} jobs/s, ratio ${(result.ratio * 100).toFixed(0)}% (target ≥ 50%)`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/notify.json', `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
