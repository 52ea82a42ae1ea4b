import type { ReadAllPage, StoredEvent } from '@engine/event-store';
import type { ReadModelDatabase } from '../database';
import {
  activeGeneration,
  CheckpointMovedError,
  commitPage,
  createGeneration,
  type Generation,
} from '../generations';
import { handledEvents, type Projection, type ProjectionChange, storeFilter } from '../projection';
import { applyToGeneration, backoffMs } from './apply';
import { CheckpointedRunner, type CheckpointedRunnerOptions } from './checkpointed-runner';
import { type LeaderLock, lockFor } from './leader-lock';
import { rebuildProjection } from './rebuild';
import { inSpan } from '@engine/platform';

export interface ProjectionRunnerOptions extends CheckpointedRunnerOptions {
  db: ReadModelDatabase;
  projection: Projection;
  /** Defaults to the database's lock: an advisory lock on PostgreSQL, none needed on SQLite. */
  lock?: LeaderLock;
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** After each commit: the position every event up to which is reflected. */
  onProgress?: (projection: string, position: number) => void;
  /** After each commit that changed something worth telling (an application's status). */
  onChanges?: (projection: string, changes: ProjectionChange[]) => void;
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
export class ProjectionRunner extends CheckpointedRunner {
  private current: Generation | undefined;
  private failures = 0;
  /** After a failed page: one event per transaction until past this position. */
  private stepUntil = 0;

  constructor(private readonly options: ProjectionRunnerOptions) {
    super(options, options.lock ?? lockFor(options.db, 'projection', options.projection.name));
  }

  get name(): string {
    return this.options.projection.name;
  }

  protected async resume(): Promise<number> {
    this.current = await this.prepare();
    return this.current.position;
  }

  protected read(after: number): Promise<ReadAllPage> {
    const stepping = after < this.stepUntil;
    return this.options.store.readAll({
      after,
      limit: stepping ? 1 : (this.options.batchSize ?? 500),
      filter: storeFilter(this.options.projection),
    });
  }

  /** Commits the page's rows with the new checkpoint in one transaction. */
  protected async handlePage(after: number, page: ReadAllPage): Promise<number | undefined> {
    const { db, projection } = this.options;
    if (page.next <= after) return after;
    const g = this.current!;
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
            applyToGeneration(
              trx,
              projection,
              g.generation,
              page.events,
              db.sqliteWriter,
              undefined,
              db.dialect,
            ),
          ),
      );
      this.current = { ...g, position: page.next };
      this.options.onProgress?.(projection.name, page.next);
      if (changes.length > 0) this.options.onChanges?.(projection.name, changes);
      this.failures = 0;
      return page.next;
    } catch (error) {
      if (error instanceof CheckpointMovedError) {
        // Retired by a rebuild's switch, or moved by another writer: carry on from the truth.
        const generation = await this.retrying(undefined, () => this.prepare());
        this.current = generation;
        return generation?.position;
      }
      this.failures++;
      const handled = handledEvents(projection, page.events);
      this.options.onError?.(error, handled.length === 1 ? handled[0] : undefined, this.failures);
      if (page.events.length > 1) {
        this.stepUntil = page.events[page.events.length - 1].position;
        return after; // narrow down at once to the failing event
      }
      if (handled.length === 1 && this.failures >= (this.options.parkAfterAttempts ?? 8)) {
        const parked = await this.park(g, after, page.next, handled[0], error).catch(() => false);
        if (parked) {
          this.current = { ...g, position: page.next };
          this.failures = 0;
          this.options.onParked?.(handled[0], error);
          this.options.onProgress?.(projection.name, page.next);
          return page.next;
        }
      }
      await this.pause.sleep(backoffMs(this.options, this.failures));
      return after;
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
}
