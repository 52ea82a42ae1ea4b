import type { ReadAllFilter, ReadAllPage, StoredEvent } from '@engine/event-store';
import {
  backoffMs,
  CheckpointedRunner,
  type CheckpointedRunnerOptions,
  type LeaderLock,
  lockFor,
  type ReadModelDatabase,
} from '@engine/read-models';
import { ProcessorStore } from './processor-store';
import { inSpan, runWithCorrelation, withTraceParent } from '@engine/platform';

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

export interface EventProcessorRunnerOptions extends CheckpointedRunnerOptions {
  db: ReadModelDatabase;
  processor: EventProcessor;
  now: () => Date;
  lock?: LeaderLock;
  /** Attempts on one event before it is parked. Default 6. */
  maxAttempts?: number;
  batchSize?: number;
  onParked?: (event: StoredEvent, error: unknown, attempts: number) => void;
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
export class EventProcessorRunner extends CheckpointedRunner {
  private readonly checkpoints: ProcessorStore;

  constructor(private readonly options: EventProcessorRunnerOptions) {
    super(options, options.lock ?? lockFor(options.db, 'projection', `processor:${options.processor.name}`));
    this.checkpoints = new ProcessorStore(options.db);
  }

  get name(): string {
    return this.options.processor.name;
  }

  protected resume(): Promise<number> {
    return this.initialPosition();
  }

  protected read(after: number): Promise<ReadAllPage> {
    const { store, processor } = this.options;
    return store.readAll({ after, limit: this.options.batchSize ?? 200, filter: processor.filter });
  }

  /** Hands the page over (in one batch when the processor can), storing the checkpoint after the effects. */
  protected async handlePage(after: number, page: ReadAllPage): Promise<number | undefined> {
    const { processor } = this.options;
    let position: number | undefined = after;
    if (processor.handleBatch && page.events.length > 1) {
      const last = page.events[page.events.length - 1];
      const batched = await processor.handleBatch(page.events).then(
        () => true,
        (error: unknown) => (this.options.onError?.(error, page.events[0], 1), false),
      );
      if (batched) return this.advance(after, last.position);
    }
    for (const event of page.events) {
      const done = await this.process(event);
      if (!done) return undefined;
      position = await this.advance(position, event.position);
      if (position === undefined) return undefined;
      this.setPosition(position);
    }
    return page.next > position ? this.advance(position, page.next) : position;
  }

  /** Runs again the parked events an operator asked to retry, while caught up. */
  protected override caughtUp(): Promise<void> {
    return this.retryParked();
  }

  protected override setPosition(position: number): void {
    super.setPosition(position);
    this.options.onProgress?.(this.name, position);
  }

  private advance(from: number, to: number): Promise<number | undefined> {
    return this.retrying(undefined, () => this.checkpoints.advance(this.name, from, to));
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
        // A child of the trace that wrote the event (its metadata's W3C traceparent), when any.
        await withTraceParent(event.metadata, () =>
          inSpan(
            `process ${this.name} ${event.type}`,
            {
              'engine.processor': this.name,
              'engine.event.type': event.type,
              'engine.event.position': event.position,
              'engine.correlation_id': event.metadata.correlationId,
              'engine.attempt': attempt,
            },
            // Log lines written while handling it carry the request's correlation id.
            () =>
              runWithCorrelation(event.metadata.correlationId, () => this.options.processor.handle(event)),
          ),
        );
        return true;
      } catch (error) {
        this.options.onError?.(error, event, attempt);
        if (attempt >= maxAttempts) {
          const parked = await this.retrying(undefined, () =>
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
}
