import type { ReadModelDatabase, ReadModelFreshness } from '@engine/read-models';
import type { Clock } from '@engine/platform';
import type { TimerService } from './timer-service';

/** Timers due at one instant fired at once, at most. */
const SIDE_BY_SIDE = 32;

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
        .select(['timer_id', 'due_at'])
        .where('status', '=', 'scheduled')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(500)
        .execute();
      let progressed = 0;
      // Timers due at the same instant (every seat of a day's panels, every membership's annual
      // report) fire side by side, so their TimerFired events share a commit; an earlier instant
      // still fires before a later one.
      for (let start = 0; start < due.length;) {
        let end = start + 1;
        while (end < due.length && end - start < SIDE_BY_SIDE && due[end].due_at === due[start].due_at) end++;
        const outcomes = await Promise.all(
          due.slice(start, end).map((row) => timers.fire(row.timer_id, 'sweep')),
        );
        for (const outcome of outcomes) {
          if (outcome === 'fired') fired++;
          if (outcome !== 'not-due') progressed++;
        }
        start = end;
      }
      if (due.length < 500 || progressed === 0) break;
      await freshness.waitForHead(['timers'], 1000);
    }
    if (fired) this.options.onFired?.(fired);
    return fired;
  }
}
