import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  type Clock,
  inSpan,
  queueConnection,
  SpanKind,
  traceHeaders,
  withTraceParent,
} from '@engine/platform';
import type { TimerWakeups } from './timer-service';

export const TIMER_QUEUE = 'timers';

/** How long a producer waits for Redis before leaving the wake-up to the sweep. */
const REDIS_WAIT_MS = 1500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref?.();
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * The timers' wake-ups on BullMQ: one delayed job per timer, `jobId` = the timer id, so a
 * repeated schedule adds nothing. Losing a job (Redis flushed, or down when it was added) only
 * delays the timer until the next sweep. The delay is measured on the engine's clock; under a
 * manual clock the sweep, run on every clock move, is what fires timers.
 *
 * BullMQ waits for a Redis that is not there rather than failing, and cannot be closed while it
 * waits. So the queue and its worker are only created once a connection of our own has reached
 * Redis; until then wake-ups are skipped (the sweep covers them) and closing has nothing to
 * wait for.
 */
export class TimerQueue implements TimerWakeups {
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private fire: ((timerId: string) => Promise<void>) | undefined;
  private readonly probe: Redis;
  private closed = false;
  private lastWarning = 0;

  constructor(
    private readonly options: {
      redisUrl: string;
      prefix: string;
      clock: Clock;
      warn: (message: string) => void;
    },
  ) {
    this.probe = new Redis(options.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
    });
    this.probe.on('error', (error) =>
      this.warnSometimes(`timer queue: Redis unreachable (${error.message})`),
    );
    this.probe.once('ready', () => this.open());
    this.probe.connect().catch(() => undefined);
  }

  /** Whether the queue reached Redis (wake-ups are being queued). */
  get connected(): boolean {
    return this.queue !== undefined;
  }

  private open(): void {
    if (this.closed || this.queue) return;
    this.probe.disconnect();
    this.queue = new Queue(TIMER_QUEUE, {
      connection: queueConnection(this.options.redisUrl, 'producer'),
      prefix: this.options.prefix,
      defaultJobOptions: {
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      },
    });
    this.queue.on('error', (error) => this.warnSometimes(`timer queue: ${error.message}`));
    if (this.fire) this.createWorker(this.fire);
  }

  async enqueue(timerId: string, dueAt: string): Promise<void> {
    if (!this.queue) return; // Redis not reached yet: the sweep fires the timer when due
    const delay = Math.max(0, Date.parse(dueAt) - this.options.clock.now().getTime());
    try {
      // The job carries the trace it was scheduled in (W3C traceparent); firing continues it.
      const data = { timerId, trace: traceHeaders() };
      await withTimeout(this.queue.add('fire', data, { jobId: timerId, delay }), REDIS_WAIT_MS);
    } catch (error) {
      this.warnSometimes(
        `timer ${timerId} not queued (${(error as Error).message}); the sweep will fire it when due`,
      );
    }
  }

  async remove(timerId: string): Promise<void> {
    if (!this.queue) return;
    await withTimeout(this.queue.remove(timerId), REDIS_WAIT_MS).catch(() => undefined);
  }

  /** Fires jobs as they come due (from when Redis is reached). */
  startWorker(fire: (timerId: string) => Promise<void>): void {
    this.fire = fire;
    if (this.queue) this.createWorker(fire);
  }

  private createWorker(fire: (timerId: string) => Promise<void>): void {
    if (this.worker) return;
    this.worker = new Worker(
      TIMER_QUEUE,
      (job) =>
        withTraceParent(job.data.trace, () =>
          inSpan(
            'job timers',
            { 'engine.timer_id': String(job.data.timerId) },
            () => fire(String(job.data.timerId)),
            SpanKind.CONSUMER,
          ),
        ),
      {
        connection: queueConnection(this.options.redisUrl, 'worker'),
        prefix: this.options.prefix,
        concurrency: 4,
      },
    );
    this.worker.on('error', (error) => this.warnSometimes(`timer worker: ${error.message}`));
  }

  /** Lets the job in hand finish (at most 5 s), then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    this.probe.disconnect();
    const closing = [this.worker?.close(), this.queue?.close()].map((p) => p?.catch(() => undefined));
    const done = await withTimeout(Promise.all(closing), 5000).then(
      () => true,
      () => false,
    );
    if (done) return;
    // Redis went away meanwhile: drop the connections, nothing is in flight.
    void this.worker?.close(true).catch(() => undefined);
    void this.queue?.disconnect().catch(() => undefined);
  }

  private warnSometimes(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    this.options.warn(message);
  }
}
