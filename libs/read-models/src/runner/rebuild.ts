import type { EventStore, StoredEvent } from '@engine/event-store';
import type { ReadModelDatabase } from '../database';
import {
  commitPage,
  createGeneration,
  createIndexes,
  dropGeneration,
  type Generation,
  listGenerations,
  switchToGeneration,
} from '../generations';
import { type Projection, storeFilter } from '../projection';
import { applyToGeneration } from './apply';
import { lockFor } from './leader-lock';

export interface RebuildOptions {
  store: EventStore;
  db: ReadModelDatabase;
  projection: Projection;
  /** Events per transaction (read in pages of up to 5000). Default 20,000. */
  batchSize?: number;
  /**
   * Continue a shadow generation of the same version left by an interrupted rebuild instead
   * of starting over (the runner does this after a version bump; the CLI starts afresh).
   */
  resume?: boolean;
  onProgress?: (position: number, head: number) => void;
  /** Polled between batches; returning false abandons the rebuild, leaving the shadow to resume. */
  shouldContinue?: () => boolean;
}

export interface RebuildResult {
  projection: string;
  generation: number;
  /** The generation it replaced, if any. */
  replaced?: number;
  position: number;
  events: number;
}

export class RebuildAbandonedError extends Error {}

/**
 * Rebuilds a projection from the first event into a new generation of its tables while the
 * current one keeps being served (and, with a runner alive, kept current), then switches the
 * views to it in one transaction once it has caught up, and drops the old tables.
 * One rebuild per projection at a time (PostgreSQL: an advisory lock; SQLite: one host).
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { store, db, projection } = options;
  const lock = lockFor(db, 'rebuild', projection.name);
  if (!(await lock.tryAcquire())) {
    throw new Error(`a rebuild of ${projection.name} is already running elsewhere (${lock.description})`);
  }
  try {
    const generations = await listGenerations(db.writer, projection.name);
    const previous = generations.find((g) => g.state === 'active');
    let shadow: Generation | undefined;
    for (const g of generations.filter((g) => g.state !== 'active')) {
      if (options.resume && !shadow && g.state === 'building' && g.version === projection.version) shadow = g;
      else await dropGeneration(db.writer, projection, g.generation);
    }
    shadow ??= await createGeneration(db.writer, db.dialect, projection, 'building');

    const batchSize = options.batchSize ?? 20_000;
    const pageSize = Math.min(batchSize, 5000);
    const filter = storeFilter(projection);
    let position = shadow.position;
    let events = 0;
    let head = await store.headPosition();
    options.onProgress?.(position, head);
    for (let end = false; !end;) {
      if (options.shouldContinue && !options.shouldContinue()) {
        throw new RebuildAbandonedError(`rebuild of ${projection.name} abandoned at ${position}`);
      }
      // Several pages per transaction: a row touched by many events is written once per batch.
      const batch: StoredEvent[] = [];
      let next = position;
      while (batch.length < batchSize) {
        const page = await store.readAll({ after: next, limit: pageSize, filter });
        for (const event of page.events) batch.push(event);
        next = Math.max(next, page.next);
        if (page.isEnd) {
          end = true;
          break;
        }
      }
      if (next > position) {
        await commitPage(db.writer, projection, shadow.generation, position, next, (trx) =>
          applyToGeneration(trx, projection, shadow.generation, batch),
        );
        events += batch.length;
        position = next;
      }
      head = end ? Math.max(head, position) : Math.max(await store.headPosition(), position);
      options.onProgress?.(position, head);
    }
    // Indexes once the rows are in: far cheaper than maintaining them row by row.
    await createIndexes(db.writer, projection, shadow.generation);
    await switchToGeneration(db.writer, projection, shadow.generation, position);
    if (previous) await dropGeneration(db.writer, projection, previous.generation);
    return {
      projection: projection.name,
      generation: shadow.generation,
      ...(previous ? { replaced: previous.generation } : {}),
      position,
      events,
    };
  } finally {
    await lock.release();
  }
}
