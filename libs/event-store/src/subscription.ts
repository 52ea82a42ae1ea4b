import type {
  ReadAllOptions,
  ReadAllPage,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from './event-store.port';

/** What a subscription needs from the store: upcast pages, the head, and a wake-up on appends. */
export interface SubscriptionSource {
  readAll<T>(options: ReadAllOptions): Promise<ReadAllPage<T>>;
  headPosition(): Promise<number>;
  onAppended(listener: () => void): () => void;
}

/**
 * Catch-up subscription over `readAll`, the same for every adapter: read pages after the
 * checkpoint, hand each event to the handler in order, and when the end is reached wait for
 * this process's next append or the poll interval (for other processes' writes).
 *
 * A failing handler is retried on the same event with exponential backoff; an event is never
 * skipped, so one poisoned event stalls only its own subscriber, visibly (onError), and the
 * caller decides when to park it (sagas do, with their own dead-letter record).
 */
export class CatchUpSubscription<T> implements Subscription {
  private current: number;
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly waiters: { target: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private unlisten: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly store: SubscriptionSource,
    private readonly options: SubscribeOptions<T>,
    private readonly onStopped: () => void,
  ) {
    this.current = options.after;
  }

  get position(): number {
    return this.current;
  }

  start(): void {
    this.unlisten = this.store.onAppended(() => this.wake?.());
    this.running = this.loop();
  }

  async caughtUp(): Promise<void> {
    const target = await this.store.headPosition();
    if (this.current >= target) return;
    await new Promise<void>((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const pollMs = this.options.pollIntervalMs ?? 250;
    try {
      while (!this.stopped) {
        const page = await this.retrying(undefined, () =>
          this.store.readAll<T>({ after: this.current, limit: batchSize, filter: this.options.filter }),
        );
        if (!page) return;
        for (const event of page.events) {
          const handled = await this.retrying(event, () => this.options.handler(event).then(() => true));
          if (!handled) return;
          this.current = event.position;
          this.settleWaiters();
        }
        // A filtered page may have looked past its last matching event.
        if (page.next > this.current) this.current = page.next;
        this.settleWaiters();
        if (page.isEnd && !this.stopped) await this.sleep(pollMs);
      }
    } finally {
      this.unlisten?.();
      for (const waiter of this.waiters.splice(0))
        waiter.reject(new Error(`subscription ${this.name} stopped`));
      this.onStopped();
    }
  }

  /** Runs `work` until it succeeds, backing off between failures; undefined once stopped. */
  private async retrying<R>(
    event: StoredEvent<T> | undefined,
    work: () => Promise<R>,
  ): Promise<R | undefined> {
    const base = this.options.retryBaseMs ?? 100;
    const max = this.options.retryMaxMs ?? 30_000;
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        return await work();
      } catch (error) {
        this.options.onError?.(error, event, attempt);
        if (!this.stopped) await this.sleep(Math.min(max, base * 2 ** (attempt - 1)));
      }
    }
    return undefined;
  }

  private settleWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.current >= this.waiters[i].target) this.waiters.splice(i, 1)[0].resolve();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
