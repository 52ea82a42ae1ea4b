import { Queue, Worker } from 'bullmq';
import type { Clock } from '@engine/platform';
import { queueConnection } from '@engine/platform/redis/queue-connection';
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
 */
export class TimerQueue implements TimerWakeups {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private lastWarning = 0;
  /** Whether Redis was ever reached: if not, closing has nothing to wait for. */
  private connected = false;

  constructor(
    private readonly options: {
      redisUrl: string;
      prefix: string;
      clock: Clock;
      warn: (message: string) => void;
    },
  ) {
    this.queue = new Queue(TIMER_QUEUE, {
      connection: queueConnection(options.redisUrl, 'producer'),
      prefix: options.prefix,
      defaultJobOptions: {
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      },
    });
    this.queue.on('error', (error) => this.warnSometimes(`timer queue: ${error.message}`));
    this.queue.waitUntilReady().then(
      () => (this.connected = true),
      () => undefined,
    );
  }

  async enqueue(timerId: string, dueAt: string): Promise<void> {
    const delay = Math.max(0, Date.parse(dueAt) - this.options.clock.now().getTime());
    try {
      // BullMQ waits for a connection that is down rather than failing: bound the wait.
      await withTimeout(this.queue.add('fire', { timerId }, { jobId: timerId, delay }), REDIS_WAIT_MS);
    } catch (error) {
      this.warnSometimes(
        `timer ${timerId} not queued (${(error as Error).message}); the sweep will fire it when due`,
      );
    }
  }

  async remove(timerId: string): Promise<void> {
    await withTimeout(this.queue.remove(timerId), REDIS_WAIT_MS).catch(() => undefined);
  }

  /** Starts firing jobs as they come due. */
  startWorker(fire: (timerId: string) => Promise<void>): void {
    this.worker = new Worker(TIMER_QUEUE, async (job) => fire(String(job.data.timerId)), {
      connection: queueConnection(this.options.redisUrl, 'worker'),
      prefix: this.options.prefix,
      concurrency: 4,
    });
    this.worker.on('error', (error) => this.warnSometimes(`timer worker: ${error.message}`));
  }

  /** Lets the job in hand finish, then disconnects (without waiting on a Redis that is gone). */
  async close(): Promise<void> {
    const closing = [this.worker?.close(), this.queue.close()].map((p) => p?.catch(() => undefined));
    if (this.connected) {
      const done = await withTimeout(Promise.all(closing), 5000).then(
        () => true,
        () => false,
      );
      if (done) return;
    }
    // Never connected (or Redis went away): drop the connections, nothing is in flight.
    void this.worker?.close(true).catch(() => undefined);
    void this.queue.disconnect().catch(() => undefined);
  }

  private warnSometimes(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    this.options.warn(message);
  }
}
