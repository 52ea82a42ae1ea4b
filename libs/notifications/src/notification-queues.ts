import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { queueConnection, traceHeaders } from '@engine/platform';
import {
  CHANNELS,
  type Channel,
  type NotificationJob,
  type NotificationRules,
} from './rules/notification-rules';

/** How long a producer waits for Redis: BullMQ's `add` would otherwise wait for a down Redis forever. */
export const REDIS_WAIT_MS = 1500;

export const queueName = (channel: Channel) => `notify-${channel}`;

export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'Redis'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref?.();
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

export interface FailedNotification {
  jobId: string;
  queue: string;
  channel: Channel;
  event: { id: string; type: string };
  recipient: { kind: string; id: string };
  attempts: number;
  failedReason: string;
  failedAt: string | null;
}

/**
 * The per-channel queues, as producers see them (the outbox, the admin endpoints, the
 * dashboard, the metrics). Bounds: completed and failed jobs kept per channel (rules file),
 * attempts and exponential backoff per channel. Keys under QUEUE_PREFIX, a Redis Cluster
 * hash tag.
 */
export class NotificationQueues {
  readonly queues: Record<Channel, Queue>;
  private connected = false;

  constructor(
    readonly options: {
      redisUrl: string;
      prefix: string;
      rules: NotificationRules;
      warn: (m: string) => void;
    },
  ) {
    this.queues = Object.fromEntries(
      CHANNELS.map((channel) => {
        const settings = options.rules.settings(channel);
        const queue = new Queue(queueName(channel), {
          connection: queueConnection(options.redisUrl, 'producer'),
          prefix: options.prefix,
          defaultJobOptions: {
            attempts: settings.attempts,
            backoff: { type: 'exponential', delay: settings.backoffMs },
            removeOnComplete: { count: settings.keepCompleted },
            removeOnFail: { count: settings.keepFailed },
          },
        });
        queue.on('error', () => undefined); // reported by the outbox's retries and the health check
        return [channel, queue];
      }),
    ) as Record<Channel, Queue>;
    void Promise.all(Object.values(this.queues).map((q) => q.waitUntilReady())).then(
      () => (this.connected = true),
      () => undefined,
    );
  }

  list(): Queue[] {
    return Object.values(this.queues);
  }

  /**
   * Enqueues every job (jobId = notification id: BullMQ ignores an id it already holds).
   * Throws when Redis does not answer in time, so the outbox retries the event.
   */
  async add(jobs: NotificationJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const byChannel = new Map<Channel, NotificationJob[]>();
    for (const job of jobs) byChannel.set(job.channel, [...(byChannel.get(job.channel) ?? []), job]);
    await withTimeout(
      Promise.all(
        [...byChannel].map(([channel, list]) =>
          this.queues[channel].addBulk(
            // The job carries the trace it was planned (or else queued) in (W3C traceparent); its
            // delivery continues it.
            list.map((job) => ({
              name: job.event.type,
              data: { ...job, trace: job.trace ?? traceHeaders() },
              opts: { jobId: job.notificationId },
            })),
          ),
        ),
      ),
      REDIS_WAIT_MS,
    );
    this.connected = true;
  }

  /** Jobs per state and queue (metrics). */
  async counts(): Promise<{ queue: string; counts: Record<string, number> }[]> {
    return withTimeout(
      Promise.all(
        this.list().map(async (queue) => ({
          queue: queue.name,
          counts: await queue.getJobCounts(
            'waiting',
            'active',
            'delayed',
            'failed',
            'completed',
            'prioritized',
          ),
        })),
      ),
      REDIS_WAIT_MS,
    );
  }

  /** Jobs that used up their attempts, newest first. */
  async failed(limit = 200): Promise<FailedNotification[]> {
    const lists = await withTimeout(
      Promise.all(this.list().map((queue) => queue.getFailed(0, limit - 1))),
      REDIS_WAIT_MS,
    );
    return lists
      .flat()
      .filter((job): job is Job => Boolean(job))
      .map((job) => {
        const data = job.data as NotificationJob;
        return {
          jobId: job.id!,
          queue: job.queueName,
          channel: data.channel,
          event: { id: data.event.id, type: data.event.type },
          recipient: data.recipient,
          attempts: job.attemptsMade,
          failedReason: job.failedReason,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        };
      })
      .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
      .slice(0, limit);
  }

  /** Puts a failed job back in its queue with fresh attempts. False when no failed job has that id. */
  async retry(jobId: string): Promise<boolean> {
    for (const queue of this.list()) {
      const job = await withTimeout(queue.getJob(jobId), REDIS_WAIT_MS);
      if (job && (await job.isFailed())) {
        await withTimeout(job.retry('failed'), REDIS_WAIT_MS);
        return true;
      }
    }
    return false;
  }

  /** Warns when Redis may evict keys: a queue must never lose a job to eviction. */
  async checkEvictionPolicy(): Promise<string | undefined> {
    const client = new Redis(this.options.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: REDIS_WAIT_MS,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    let policy: string | undefined;
    try {
      await withTimeout(client.connect(), REDIS_WAIT_MS);
      const answer = (await withTimeout(client.config('GET', 'maxmemory-policy'), REDIS_WAIT_MS)) as string[];
      policy = answer?.[1];
    } finally {
      client.disconnect();
    }
    if (policy && policy !== 'noeviction') {
      this.options.warn(
        `Redis maxmemory-policy is ${policy}, not noeviction: under memory pressure Redis may evict queued notifications (docs/operations.md)`,
      );
    }
    return policy;
  }

  async close(): Promise<void> {
    const closing = Promise.all(this.list().map((q) => q.close().catch(() => undefined)));
    if (
      this.connected &&
      (await withTimeout(closing, 5000).then(
        () => true,
        () => false,
      ))
    )
      return;
    for (const q of this.list()) void q.disconnect().catch(() => undefined);
  }
}
