import type { EventStore, ReadAllFilter, StoredEvent } from '@engine/event-store';
import { type LeaderLock, lockFor, type ReadModelDatabase } from '@engine/read-models';
import { backoffMs, retryWhileActive, Sleeper } from '@engine/read-models/runner/apply';
import { ProcessorStore } from './processor-store';
import { runWithCorrelation } from '@engine/platform/observability/correlation';
import { inSpan } from '@engine/platform/observability/tracing';

/**
 * Something that reacts to events with effects outside the read-model database: a saga sends
 * commands, the outbox enqueues notifications. Delivery is at least once, so `handle` must be
 * idempotent: doing it twice for one event has the effect of doing it once.
 */
export interface EventProcessor {
  readonly name: string;
  /** What to read from the store. Events outside it are never handed over. */
  readonly filter: ReadAllFilter;
  /**
   * Where a processor that has never run starts: `beginning` (sagas: every event of history
   * gets its reaction) or `head` (the outbox: no notices for what happened before it existed).
   */
  readonly startFrom: 'beginning' | 'head';
  handle(event: StoredEvent): Promise<void>;
  /**
   * Optional: the effect of `handle` for a whole page of events at once (the outbox enqueues a
   * page in one Redis round trip per queue). Must be as idempotent as `handle`. When it throws,
   * the runner falls back to `handle`, event by event, with its retries and parking.
   */
  handleBatch?(events: StoredEvent[]): Promise<void>;
}

export interface EventProcessorRunnerOptions {
  store: EventStore;
  db: ReadModelDatabase;
  processor: EventProcessor;
  now: () => Date;
  lock?: LeaderLock;
  /** Attempts on one event before it is parked. Default 6. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  batchSize?: number;
  pollIntervalMs?: number;
  lockRetryMs?: number;
  onError?: (error: unknown, event: StoredEvent | undefined, attempt: number) => void;
  onParked?: (event: StoredEvent, error: unknown, attempts: number) => void;
  onInfo?: (message: string) => void;
  /** After each event handled (or parked): the processor's new position. */
  onProgress?: (processor: string, position: number) => void;
}

/**
 * Runs one event processor under its leader lock: reads after its checkpoint, hands each event
 * to `handle`, and stores the checkpoint after the effect. A crash between the two repeats the
 * effect, which the processor makes harmless (deterministic ids). A failing event is retried
 * with exponential backoff; after `maxAttempts` it is parked in `processor_parked` (logged, and
 * shown to admins) and the processor moves on: one poisoned event never stalls every flow.
 * Parked events an operator marks for retry are run again while the processor is idle.
 */
export class EventProcessorRunner {
  private readonly lock: LeaderLock;
  private readonly checkpoints: ProcessorStore;
  private readonly idle = new Sleeper();
  private readonly pause = new Sleeper();
  private stopped = true;
  private running: Promise<void> | undefined;
  private unlisten: (() => void) | undefined;
  private current: number | undefined;
  private readonly waiters: { target: number; resolve: () => void }[] = [];

  constructor(private readonly options: EventProcessorRunnerOptions) {
    this.lock = options.lock ?? lockFor(options.db, 'projection', `processor:${options.processor.name}`);
    this.checkpoints = new ProcessorStore(options.db);
    this.lock.onLost(() => {
      this.info(`lost the leader lock of ${this.name}; another instance will take over`);
      this.idle.wakeUp();
      this.pause.wakeUp();
    });
  }

  get name(): string {
    return this.options.processor.name;
  }

  /** The last position handled by this instance (undefined until it leads). */
  get position(): number | undefined {
    return this.current;
  }

  get leading(): boolean {
    return this.lock.held;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unlisten = this.options.store.onAppended(() => this.idle.wakeUp());
    this.running = this.loop();
  }

  /** Finishes the event in hand, stores its checkpoint, releases the lock. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.idle.wakeUp();
    this.pause.wakeUp();
    await this.running;
    this.unlisten?.();
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  /** Resolves once this instance has handled everything up to `position` (or stopped). */
  reached(position: number): Promise<void> {
    if (this.stopped || (this.current ?? -1) >= position) return Promise.resolve();
    this.idle.wakeUp();
    return new Promise((resolve) => this.waiters.push({ target: position, resolve }));
  }

  private get active(): boolean {
    return !this.stopped && this.lock.held;
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      let acquired = false;
      try {
        acquired = await this.lock.tryAcquire();
      } catch (error) {
        this.options.onError?.(error, undefined, ++attempt);
      }
      if (!acquired) {
        await this.pause.sleep(this.options.lockRetryMs ?? 2000);
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

  private async lead(): Promise<void> {
    const { store, processor } = this.options;
    const batchSize = this.options.batchSize ?? 200;
    const pollMs = this.options.pollIntervalMs ?? 250;
    let position = await this.retrying(() => this.initialPosition());
    while (position !== undefined && this.active) {
      this.setPosition(position);
      const after = position;
      const page = await this.retrying(() =>
        store.readAll({ after, limit: batchSize, filter: processor.filter }),
      );
      if (!page || !this.active) return;
      if (processor.handleBatch && page.events.length > 1) {
        const last = page.events[page.events.length - 1];
        const batched = await processor.handleBatch(page.events).then(
          () => true,
          (error: unknown) => (this.options.onError?.(error, page.events[0], 1), false),
        );
        if (batched) {
          const from: number = position;
          position = await this.retrying(() => this.checkpoints.advance(this.name, from, last.position));
          if (position === undefined) return;
          this.setPosition(position);
          continue;
        }
      }
      for (const event of page.events) {
        const done = await this.process(event);
        if (!done) return;
        position = await this.retrying(() => this.checkpoints.advance(this.name, position!, event.position));
        if (position === undefined) return;
        this.setPosition(position);
      }
      if (page.next > position) {
        const from: number = position;
        position = await this.retrying(() => this.checkpoints.advance(this.name, from, page.next));
        if (position === undefined) return;
        this.setPosition(position);
      }
      if (page.isEnd) {
        await this.retryParked();
        await this.idle.sleep(pollMs);
      }
    }
  }

  private async initialPosition(): Promise<number> {
    const stored = await this.checkpoints.position(this.name);
    if (stored !== undefined) return stored;
    const start = this.options.processor.startFrom === 'head' ? await this.options.store.headPosition() : 0;
    const position = await this.checkpoints.create(this.name, start);
    this.info(`${this.name}: first run, starting at position ${position}`);
    return position;
  }

  /** Handles one event: true once handled or parked, false when stopping. */
  private async process(event: StoredEvent): Promise<boolean> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; this.active; attempt++) {
      try {
        await inSpan(
          `process ${this.name} ${event.type}`,
          {
            'engine.processor': this.name,
            'engine.event.type': event.type,
            'engine.event.position': event.position,
            'engine.correlation_id': event.metadata.correlationId,
            'engine.attempt': attempt,
          },
          // Log lines written while handling it carry the request's correlation id.
          () => runWithCorrelation(event.metadata.correlationId, () => this.options.processor.handle(event)),
        );
        return true;
      } catch (error) {
        this.options.onError?.(error, event, attempt);
        if (attempt >= maxAttempts) {
          const parked = await this.retrying(() =>
            this.checkpoints.park(this.name, event, attempt, error, this.options.now()).then(() => true),
          );
          if (parked === undefined) return false;
          this.options.onParked?.(event, error, attempt);
          return true;
        }
        await this.pause.sleep(backoffMs(this.options, attempt));
      }
    }
    return false;
  }

  /** Runs again the parked events an operator asked to retry; parks them again if they still fail. */
  private async retryParked(): Promise<void> {
    const due = await this.checkpoints.toRetry(this.name).catch(() => []);
    for (const row of due) {
      if (!this.active) return;
      const page = await this.options.store.readAll({ after: Number(row.position) - 1, limit: 1 });
      const event = page.events[0];
      if (!event || event.id !== row.event_id) {
        await this.checkpoints.resolve(this.name, row.event_id, this.options.now(), 'event not found');
        continue;
      }
      try {
        await this.options.processor.handle(event);
        await this.checkpoints.resolve(this.name, row.event_id, this.options.now());
        this.info(`${this.name}: parked event ${event.type} at ${event.position} handled on retry`);
      } catch (error) {
        this.options.onError?.(error, event, row.attempts + 1);
        await this.checkpoints.park(this.name, event, row.attempts + 1, error, this.options.now());
      }
    }
  }

  private setPosition(position: number): void {
    this.current = position;
    this.options.onProgress?.(this.name, position);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (position >= this.waiters[i].target) this.waiters.splice(i, 1)[0].resolve();
    }
  }

  private retrying<R>(work: () => Promise<R>): Promise<R | undefined> {
    return retryWhileActive(
      () => this.active,
      this.pause,
      this.options,
      (error, attempt) => this.options.onError?.(error, undefined, attempt),
      work,
    );
  }

  private info(message: string): void {
    this.options.onInfo?.(message);
  }
}
