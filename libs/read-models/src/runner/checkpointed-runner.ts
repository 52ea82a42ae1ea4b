import type { EventStore, ReadAllPage, StoredEvent } from '@engine/event-store';
import { retryWhileActive, type RetryPolicy, Sleeper } from './apply';
import type { LeaderLock } from './leader-lock';

export interface CheckpointedRunnerOptions extends RetryPolicy {
  store: EventStore;
  /** How often a caught-up runner looks for other processes' appends. Default 250 ms. */
  pollIntervalMs?: number;
  /**
   * How long a caught-up runner woken by an append waits for more before reading (default
   * 10 ms), so that a burst of appends (a saga's steps, commands arriving one after another, several
   * group commits) is read as one page and stored with one checkpoint instead of one read and one
   * transaction per append. A read model then trails the store by up to this much more; a caller
   * waiting in `reached()` is never held by it.
   */
  lingerMs?: number;
  /** How often a runner that does not hold the lock tries again. Default 2 s. */
  lockRetryMs?: number;
  /** Each failure, with the event when it is known (never skipped: the same work is retried). */
  onError?: (error: unknown, event: StoredEvent | undefined, attempt: number) => void;
  /** Leadership changes, for the logs. */
  onInfo?: (message: string) => void;
}

/**
 * The one loop behind projections and event processors: while it holds its leader lock, it
 * reads the store after its checkpoint, page by page, hands each page to {@link handlePage}
 * (which stores the effects and the new checkpoint), and waits for new events once at the
 * head; without the lock it tries again every `lockRetryMs`. Reads and the start are retried
 * with exponential backoff while it leads. What a page does, and how a failing event is
 * retried or parked, is the subclass's.
 */
export abstract class CheckpointedRunner {
  /** Waits for new events: woken by this process's appends. */
  protected readonly idle = new Sleeper();
  /** Backoffs and lock retries: woken only to stop. */
  protected readonly pause = new Sleeper();
  /** The wait for more appends after a wake-up: cut short by a caller in `reached` and by stop. */
  private readonly lingering = new Sleeper();
  /** Set by `reached`: read at once rather than linger. */
  private hurry = false;
  private stopped = true;
  private running: Promise<void> | undefined;
  private unlisten: (() => void) | undefined;
  private checkpoint: number | undefined;
  private readonly waiters: { target: number; resolve: () => void }[] = [];

  protected constructor(
    private readonly runner: CheckpointedRunnerOptions,
    protected readonly lock: LeaderLock,
  ) {
    this.lock.onLost(() => {
      this.info(`lost the leader lock of ${this.name}; another instance will take over`);
      this.idle.wakeUp();
      this.pause.wakeUp();
    });
  }

  abstract get name(): string;

  /** Whether this instance holds the lock now. */
  get leading(): boolean {
    return this.lock.held;
  }

  /** The last checkpoint of this instance (undefined until it first leads). */
  get position(): number | undefined {
    return this.checkpoint;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unlisten = this.runner.store.onAppended(() => this.idle.wakeUp());
    this.running = this.loop();
  }

  /** Finishes the page in hand, stores its checkpoint, releases the lock. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.idle.wakeUp();
    this.pause.wakeUp();
    this.lingering.wakeUp();
    await this.running;
    this.unlisten?.();
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  /** Resolves once this instance's checkpoint is at or past `position` (or it stopped). */
  reached(position: number): Promise<void> {
    if (this.stopped || (this.checkpoint ?? -1) >= position) return Promise.resolve();
    // Somebody waits: no lingering for more appends.
    this.hurry = true;
    this.idle.wakeUp();
    this.lingering.wakeUp();
    return new Promise((resolve) => this.waiters.push({ target: position, resolve }));
  }

  /** While it runs and holds the lock. */
  protected get active(): boolean {
    return !this.stopped && this.lock.held;
  }

  /** The checkpoint to start from when leadership begins (creating it on a first run). */
  protected abstract resume(): Promise<number>;

  /** The next page after `after`. */
  protected abstract read(after: number): Promise<ReadAllPage>;

  /**
   * Handles a page read after `after` and stores the checkpoint it reached: the new checkpoint
   * (`after` when nothing could be stored yet: the page is read again), or undefined to stop
   * leading (the lock was lost, or the runner stops).
   */
  protected abstract handlePage(after: number, page: ReadAllPage): Promise<number | undefined>;

  /** Called when caught up, before waiting for new events. */
  protected async caughtUp(): Promise<void> {}

  /** Records the checkpoint and answers whoever waits for it. */
  protected setPosition(position: number): void {
    this.checkpoint = position;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (position >= this.waiters[i].target) this.waiters.splice(i, 1)[0].resolve();
    }
  }

  /** Runs `work` until it succeeds, backing off between failures; undefined once no longer leading. */
  protected retrying<R>(event: StoredEvent | undefined, work: () => Promise<R>): Promise<R | undefined> {
    return retryWhileActive(
      () => this.active,
      this.pause,
      this.runner,
      (error, attempt) => this.runner.onError?.(error, event, attempt),
      work,
    );
  }

  protected info(message: string): void {
    this.runner.onInfo?.(message);
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      let acquired = false;
      try {
        acquired = await this.lock.tryAcquire();
      } catch (error) {
        this.runner.onError?.(error, undefined, ++attempt);
      }
      if (!acquired) {
        await this.pause.sleep(this.runner.lockRetryMs ?? 2000);
        continue;
      }
      attempt = 0;
      this.info(`leading ${this.name} (${this.lock.description})`);
      try {
        await this.lead();
      } finally {
        await this.lock.release().catch(() => undefined);
      }
    }
  }

  /** One leadership: from the checkpoint, page after page, until no longer leading. */
  private async lead(): Promise<void> {
    let position = await this.retrying(undefined, () => this.resume());
    while (position !== undefined && this.active) {
      this.setPosition(position);
      const after: number = position;
      const page = await this.retrying(undefined, () => this.read(after));
      if (!page || !this.active) return;
      position = await this.handlePage(after, page);
      if (position === undefined) return;
      this.setPosition(position);
      if (page.isEnd && position >= page.next) {
        await this.caughtUp();
        const woken = await this.idle.sleep(this.runner.pollIntervalMs ?? 250);
        const linger = this.runner.lingerMs ?? 10;
        if (woken && linger > 0 && !this.stopped && !this.hurry) {
          await this.lingering.sleep(linger);
          this.lingering.forget();
          // The appends of the wait are in the next read: their wake-ups need no read of their own.
          this.idle.forget();
        }
        this.hurry = false;
      }
    }
  }
}
