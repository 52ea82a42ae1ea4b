import type { EventStore } from '@engine/event-store';
import type { ReadModelDatabase } from './database';

/** In-process news of projection commits, so a waiting read wakes at once instead of polling. */
export class ReadModelProgress {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves at the next commit in this process, or after `ms`. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref?.();
      this.waiters.add(wake);
    });
  }
}

/**
 * Read-your-writes for the API: projections lag the store a little, so a read that must show
 * what the caller just did waits until the projections it needs have reached the store's head
 * as it was when the read began, for at most `timeoutMs`, and then answers anyway (the runner
 * may be down or rebuilding; a slightly stale answer beats none). The runner may be in this
 * process (embedded profile: woken by ReadModelProgress) or in a worker elsewhere (found by
 * polling the checkpoints).
 */
export class ReadModelFreshness {
  constructor(
    private readonly db: ReadModelDatabase,
    private readonly store: EventStore,
    private readonly progress: ReadModelProgress,
    private readonly defaults: { timeoutMs: number; pollMs: number } = { timeoutMs: 2000, pollMs: 25 },
  ) {}

  /** True when every named projection has caught up with the head; false when the wait ran out. */
  async waitForHead(projections: readonly string[], timeoutMs = this.defaults.timeoutMs): Promise<boolean> {
    const head = await this.store.headPosition();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.db.reader
        .selectFrom('rm_checkpoints')
        .select(['projection', 'position'])
        .where('state', '=', 'active')
        .where('projection', 'in', projections)
        .execute();
      const at = new Map(rows.map((row) => [row.projection, Number(row.position)]));
      if (projections.every((name) => (at.get(name) ?? -1) >= head)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.progress.next(Math.min(left, this.defaults.pollMs));
    }
  }
}
