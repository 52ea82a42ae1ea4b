import type { EventStore, ReadAllFilter } from '@engine/event-store';
import { sql } from 'kysely';
import type { ReadModelDatabase } from '../database';
import {
  createGeneration,
  createIndexes,
  dropGeneration,
  type Generation,
  listGenerations,
  moveCheckpoint,
  switchToGeneration,
} from '../generations';
import { ApplySession, handledEvents, physicalTable, type Projection } from '../projection';
import { applyHandled } from './apply';
import { type LeaderLock, lockFor } from './leader-lock';

export interface RebuildOptions {
  store: EventStore;
  db: ReadModelDatabase;
  projection: Projection;
  /**
   * Events per transaction (read in pages of up to 10,000, not held in memory). Default
   * 400,000: a row touched across the batch is written once, so a larger batch writes fewer
   * rows (an application's creation, submission and review land in different stretches of the
   * log); an interrupted rebuild loses at most one batch.
   */
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

export interface RebuildManyOptions extends Omit<RebuildOptions, 'projection'> {
  projections: readonly Projection[];
}

/**
 * What to ask the store for to feed several projections in one pass: their streams when every
 * one names them, one event type when that is all they handle, and otherwise everything, in
 * position order (each projection picks its own events). Not a list of types: an index holds
 * each type's positions apart, so every page of `type IN (...)` after a position sorts every
 * later matching event to return the first of them, and a rebuild grows with the square of the
 * store (a scan over all of it is linear).
 */
export function unionFilter(projections: readonly Projection[]): ReadAllFilter | undefined {
  if (projections.every((p) => p.streams?.length)) {
    return { streamPrefixes: [...new Set(projections.flatMap((p) => p.streams!))] };
  }
  const types = [...new Set(projections.flatMap((p) => p.handles))];
  return types.length === 1 ? { types } : undefined;
}

interface Shadow {
  projection: Projection;
  lock: LeaderLock;
  previous: Generation | undefined;
  generation: number;
  position: number;
  events: number;
  /** Created empty by this rebuild (or resumed before it held any row). */
  fresh: boolean;
}

/** Rebuilds one projection (see {@link rebuildProjections}). */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const [result] = await rebuildProjections({ ...options, projections: [options.projection] });
  return result;
}

/**
 * Rebuilds projections from the first event into new generations of their tables while the
 * current ones keep being served (and, with runners alive, kept current), then switches the
 * views of each to its new tables in one transaction once it has caught up, and drops the old
 * tables. Several projections are rebuilt in one pass over the store: each page is read and
 * decoded once and applied to every shadow (each in its own transaction with its own
 * checkpoint). One rebuild per projection at a time (PostgreSQL: an advisory lock; SQLite:
 * one host).
 */
export async function rebuildProjections(options: RebuildManyOptions): Promise<RebuildResult[]> {
  const { store, db } = options;
  const shadows: Shadow[] = [];
  try {
    for (const projection of options.projections) {
      const lock = lockFor(db, 'rebuild', projection.name);
      if (!(await lock.tryAcquire())) {
        throw new Error(`a rebuild of ${projection.name} is already running elsewhere (${lock.description})`);
      }
      const generations = await listGenerations(db.writer, projection.name);
      const previous = generations.find((g) => g.state === 'active');
      let shadow: Generation | undefined;
      try {
        for (const g of generations.filter((g) => g.state !== 'active')) {
          if (options.resume && !shadow && g.state === 'building' && g.version === projection.version)
            shadow = g;
          else await dropGeneration(db.writer, projection, g.generation);
        }
        shadow ??= await createGeneration(db.writer, db.dialect, projection, 'building');
      } catch (error) {
        await lock.release();
        throw error;
      }
      shadows.push({
        projection,
        lock,
        previous,
        generation: shadow.generation,
        position: shadow.position,
        events: 0,
        fresh: shadow.position === 0,
      });
    }

    const batchSize = options.batchSize ?? 400_000;
    const pageSize = Math.min(batchSize, 10_000);
    const filter = unionFilter(options.projections);
    const lean = { types: [...new Set(options.projections.flatMap((p) => p.handles))] };
    // The shadows are written by this rebuild alone: what it read stays valid between batches.
    // PostgreSQL: a fresh shadow's insert-only rows (the timeline) go in by COPY.
    const copyRows = db.dialect === 'postgres' ? db.copyRows.bind(db) : undefined;
    const sessions = new Map(
      shadows.map((s) => [s, new ApplySession(s.fresh, s.fresh ? copyRows : undefined)]),
    );
    let position = Math.min(...shadows.map((s) => s.position));
    let head = await store.headPosition();
    options.onProgress?.(position, head);
    for (let end = false; !end;) {
      if (options.shouldContinue && !options.shouldContinue()) {
        throw new RebuildAbandonedError(
          `rebuild of ${shadows.map((s) => s.projection.name).join(', ')} abandoned at ${position}`,
        );
      }
      // One transaction per batch for every shadow, fed page by page (pages are not held):
      // each projection keeps the rows it touched in memory and writes each once at the end,
      // then every checkpoint is compared and set, all in the same commit.
      const counted = new Map<Shadow, number>();
      const next = await db.writer.transaction().execute(async (trx) => {
        let at = position;
        let read = 0;
        while (read < batchSize) {
          // Lean: no id, hash or metadata but occurredAt, and events no projection here handles
          // are skipped undecoded by the store (a backend may still return whole events).
          const page = await store.readAll({ after: at, limit: pageSize, filter, lean });
          read += page.events.length;
          for (const shadow of shadows) {
            const from = shadow.position;
            const events = handledEvents(
              shadow.projection,
              from > at ? page.events.filter((e) => e.position > from) : page.events,
            );
            await applyHandled(
              trx,
              shadow.projection,
              shadow.generation,
              events,
              db.sqliteWriter,
              sessions.get(shadow),
              db.dialect,
            );
            counted.set(shadow, (counted.get(shadow) ?? 0) + events.length);
          }
          at = Math.max(at, page.next);
          if (page.isEnd) {
            end = true;
            break;
          }
        }
        for (const shadow of shadows) {
          await sessions.get(shadow)!.flush();
          if (at > shadow.position) {
            await moveCheckpoint(trx, shadow.projection, shadow.generation, shadow.position, at);
          }
        }
        return at;
      });
      for (const shadow of shadows) {
        if (next > shadow.position) shadow.position = next;
        shadow.events += counted.get(shadow) ?? 0;
      }
      position = Math.max(position, next);
      head = end ? Math.max(head, position) : Math.max(await store.headPosition(), position);
      options.onProgress?.(position, head);
    }
    const results: RebuildResult[] = [];
    for (const shadow of shadows) {
      const { projection, generation, previous } = shadow;
      // Indexes once the rows are in: far cheaper than maintaining them row by row.
      await createIndexes(db.writer, projection, generation);
      if (db.dialect === 'postgres') {
        // A freshly loaded table has no visibility map and no statistics: until autovacuum
        // passes, an index-only scan (a round's count) visits the heap for every row (13-73 ms
        // against 0.5 ms at 100k applications). Vacuumed and analysed before it is served.
        for (const table of projection.tables) {
          await sql`vacuum (analyze) ${sql.id(physicalTable(table.name, generation))}`.execute(db.writer);
        }
      }
      await switchToGeneration(db.writer, projection, generation, shadow.position);
      if (previous) await dropGeneration(db.writer, projection, previous.generation);
      results.push({
        projection: projection.name,
        generation,
        ...(previous ? { replaced: previous.generation } : {}),
        position: shadow.position,
        events: shadow.events,
      });
    }
    return results;
  } finally {
    for (const shadow of shadows) await shadow.lock.release().catch(() => undefined);
  }
}
