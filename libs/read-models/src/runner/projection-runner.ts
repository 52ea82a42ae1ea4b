import type { EventStore, ReadAllPage, StoredEvent } from '@engine/event-store';
import type { ReadModelDatabase } from '../database';
import {
  activeGeneration,
  CheckpointMovedError,
  commitPage,
  createGeneration,
  type Generation,
} from '../generations';
import { handledEvents, type Projection, type ProjectionChange, storeFilter } from '../projection';
import { applyToGeneration, backoffMs, retryWhileActive, Sleeper } from './apply';
import { type LeaderLock, lockFor } from './leader-lock';
import { rebuildProjection } from './rebuild';
import { inSpan } from '@engine/platform/observability/tracing';

export interface ProjectionRunnerOptions {
  store: EventStore;
  db: ReadModelDatabase;
  projection: Projection;
  /** Defaults to the database's lock: an advisory lock on PostgreSQL, none needed on SQLite. */
  lock?: LeaderLock;
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** How often a caught-up runner looks for other processes' appends. Default 250 ms. */
  pollIntervalMs?: number;
  /** How often a runner that does not hold the lock tries again. Default 2 s. */
  lockRetryMs?: number;
  /** Backoff after a failure: base, doubling to max. Defaults 100 ms and 30 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Each failure, with the event when it is known (never skipped: the same work is retried). */
  onError?: (error: unknown, event: StoredEvent | undefined, attempt: number) => void;
  /** After each commit: the position every event up to which is reflected. */
  onProgress?: (projection: string, position: number) => void;
  /** After each commit that changed something worth telling (an application's status). */
  onChanges?: (projection: string, changes: ProjectionChange[]) => void;
  /** Leadership changes and rebuilds, for the logs. */
  onInfo?: (message: string) => void;
  /**
   * One event that fails this many times in a row (default 8: about 25 s with the default
   * backoff) is parked: recorded in `processor_parked` as `projection:<name>` and stepped over,
   * so one poisoned event cannot freeze the projection. A parked event makes /health
   * `degraded` until an operator resolves it (docs/read-models.md, Parked events).
   */
  parkAfterAttempts?: number;
  /** When an event is parked. */
  onParked?: (event: StoredEvent, error: unknown) => void;
}

/** The `processor` a projection's parked events are recorded under. */
export const parkedProjectionName = (projection: string) => `projection:${projection}`;

/**
 * Runs one projection: when it holds the projection's leader lock, it reads the store after
 * the active generation's checkpoint, page by page, and commits each page's rows together
 * with the new checkpoint in one transaction. The page's `next` is stored even when the
 * filter skipped every event in it, so "caught up" means "at the store's head".
 *
 * Failures (reading, or applying) are retried with exponential backoff and reported through
 * `onError`; after a failed page it goes one event per transaction until past it, so the
 * report names the event. An event that keeps failing (`parkAfterAttempts`) is parked for an
 * operator, never silently skipped. A code version newer than the active
 * generation's is rebuilt into a shadow generation first (the old one is served meanwhile).
 */
export class ProjectionRunner {
  private readonly lock: LeaderLock;
  /** Waits for new events: woken by this process's appends. */
  private readonly idle = new Sleeper();
  /** Backoffs and lock retries: woken only to stop. */
  private readonly pause = new Sleeper();
  private stopped = true;
  private running: Promise<void> | undefined;
  private unlisten: (() => void) | undefined;
  private current: Generation | undefined;
  private failures = 0;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.lock = options.lock ?? lockFor(options.db, 'projection', options.projection.name);
    this.lock.onLost(() => {
      this.info(`lost the leader lock of ${this.name}; another instance will take over`);
      this.idle.wakeUp();
      this.pause.wakeUp();
    });
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Whether this instance holds the projection's lock now. */
  get leading(): boolean {
    return this.lock.held;
  }

  /** The last position committed by this instance (undefined before it first led). */
  get position(): number | undefined {
    return this.current?.position;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unlisten = this.options.store.onAppended(() => this.idle.wakeUp());
    this.running = this.loop();
  }

  /** Stops after the transaction in hand, then releases the lock. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.idle.wakeUp();
    this.pause.wakeUp();
    await this.running;
    this.unlisten?.();
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

  private get active(): boolean {
    return !this.stopped && this.lock.held;
  }

  /** Runs while this instance holds the lock. */
  private async lead(): Promise<void> {
    const { store, db, projection } = this.options;
    const batchSize = this.options.batchSize ?? 500;
    const pollMs = this.options.pollIntervalMs ?? 250;
    let generation = await this.retrying(undefined, () => this.prepare());
    /** After a failed page: one event per transaction until past this position. */
    let stepUntil = 0;
    while (generation && this.active) {
      this.current = generation;
      const stepping = generation.position < stepUntil;
      const after = generation.position;
      const page: ReadAllPage | undefined = await this.retrying(undefined, () =>
        store.readAll({ after, limit: stepping ? 1 : batchSize, filter: storeFilter(projection) }),
      );
      if (!page || !this.active) return;
      if (page.next > after) {
        const g: Generation = generation;
        try {
          const changes = await inSpan(
            `project ${projection.name}`,
            {
              'engine.projection': projection.name,
              'engine.events': page.events.length,
              'engine.position': page.next,
            },
            () =>
              commitPage(db.writer, projection, g.generation, after, page.next, (trx) =>
                applyToGeneration(trx, projection, g.generation, page.events, db.sqliteWriter),
              ),
          );
          generation = { ...g, position: page.next };
          this.current = generation;
          this.options.onProgress?.(projection.name, page.next);
          if (changes.length > 0) this.options.onChanges?.(projection.name, changes);
          this.failures = 0;
        } catch (error) {
          if (error instanceof CheckpointMovedError) {
            // Retired by a rebuild's switch, or moved by another writer: carry on from the truth.
            generation = await this.retrying(undefined, () => this.prepare());
            continue;
          }
          this.failures++;
          const handled = handledEvents(projection, page.events);
          this.options.onError?.(error, handled.length === 1 ? handled[0] : undefined, this.failures);
          if (page.events.length > 1) {
            stepUntil = page.events[page.events.length - 1].position;
            continue; // narrow down at once to the failing event
          }
          if (handled.length === 1 && this.failures >= (this.options.parkAfterAttempts ?? 8)) {
            const parked = await this.park(g, after, page.next, handled[0], error).catch(() => false);
            if (parked) {
              generation = { ...g, position: page.next };
              this.current = generation;
              this.failures = 0;
              this.options.onParked?.(handled[0], error);
              this.options.onProgress?.(projection.name, page.next);
              continue;
            }
          }
          await this.pause.sleep(backoffMs(this.options, this.failures));
          continue;
        }
      }
      if (page.isEnd) await this.idle.sleep(pollMs);
    }
  }

  /** Records the event as parked and moves the checkpoint past it, in one transaction. */
  private async park(g: Generation, after: number, next: number, event: StoredEvent, error: unknown) {
    const { db, projection } = this.options;
    const text = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
    const at = new Date().toISOString();
    const processor = parkedProjectionName(projection.name);
    await commitPage(db.writer, projection, g.generation, after, next, async (trx) => {
      await trx
        .insertInto('processor_parked')
        .values({
          processor,
          event_id: event.id,
          position: event.position,
          stream: event.stream,
          type: event.type,
          attempts: this.failures,
          error: text,
          parked_at: at,
          state: 'parked',
          updated_at: at,
        })
        .onConflict((oc) =>
          oc
            .columns(['processor', 'event_id'])
            .doUpdateSet({ attempts: this.failures, error: text, state: 'parked', updated_at: at }),
        )
        .execute();
    });
    return true;
  }

  /** The generation to write: creates the first one, or rebuilds after a version bump. */
  private async prepare(): Promise<Generation> {
    const { store, db, projection } = this.options;
    let active = await activeGeneration(db.writer, projection.name);
    if (!active) {
      try {
        active = await createGeneration(db.writer, db.dialect, projection, 'active');
        this.info(`created ${projection.name} generation ${active.generation}`);
      } catch (error) {
        // Another process created it first: use theirs.
        active = await activeGeneration(db.writer, projection.name);
        if (!active) throw error;
      }
    }
    if (active.version !== projection.version) {
      this.info(
        `${projection.name}: tables at version ${active.version}, code at ${projection.version}; rebuilding (the old tables are served meanwhile)`,
      );
      // Abandoned (RebuildAbandonedError) when the lock is lost; the next leader resumes the shadow.
      const result = await rebuildProjection({
        store,
        db,
        projection,
        resume: true,
        shouldContinue: () => this.active,
      });
      this.info(`${projection.name}: rebuilt into generation ${result.generation} at ${result.position}`);
      active = (await activeGeneration(db.writer, projection.name))!;
    }
    return active;
  }

  /** Runs `work` until it succeeds, backing off between failures; undefined once no longer leading. */
  private retrying<R>(event: StoredEvent | undefined, work: () => Promise<R>): Promise<R | undefined> {
    return retryWhileActive(
      () => this.active,
      this.pause,
      this.options,
      (error, attempt) => this.options.onError?.(error, event, attempt),
      work,
    );
  }

  private info(message: string): void {
    this.options.onInfo?.(message);
  }
}
