import type { ReadModelDatabase, ReadModelFreshness } from '@engine/read-models';
import type { Clock } from '@engine/platform';
import type { TimerService } from './timer-service';

/**
 * The safety net under the queue: every few seconds, and at once whenever a manual clock
 * moves, fires every pending timer that is due. Firing is idempotent, so a sweep racing the
 * queue (or another replica's sweep) fires nothing twice.
 */
export class TimerSweeper {
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;

  constructor(
    private readonly options: {
      db: ReadModelDatabase;
      freshness: ReadModelFreshness;
      timers: TimerService;
      clock: Clock;
      intervalMs: number;
      onError: (error: unknown) => void;
      onFired?: (count: number) => void;
    },
  ) {}

  start(): void {
    this.interval = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.interval.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    this.interval = undefined;
    await this.running;
  }

  /** Sweeps now (coalescing with a sweep in progress). Resolves with the number fired. */
  sweep(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.sweepLoop().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepLoop(): Promise<number> {
    let fired = 0;
    do {
      this.again = false;
      try {
        fired += await this.sweepOnce();
      } catch (error) {
        this.options.onError(error);
      }
    } while (this.again);
    return fired;
  }

  private async sweepOnce(): Promise<number> {
    const { db, freshness, timers, clock } = this.options;
    // Timers scheduled a moment ago must be in the index before we ask it.
    await freshness.waitForHead(['timers'], 1000);
    const now = clock.now().toISOString();
    let fired = 0;
    for (;;) {
      const due = await db.reader
        .selectFrom('timers')
        .select(['timer_id'])
        .where('status', '=', 'scheduled')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(500)
        .execute();
      let progressed = 0;
      for (const row of due) {
        const outcome = await timers.fire(row.timer_id, 'sweep');
        if (outcome === 'fired') fired++;
        if (outcome !== 'not-due') progressed++;
      }
      if (due.length < 500 || progressed === 0) break;
      await freshness.waitForHead(['timers'], 1000);
    }
    if (fired) this.options.onFired?.(fired);
    return fired;
  }
}
