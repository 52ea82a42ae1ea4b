import type BetterSqlite3 from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import {
  type ApplyContext,
  type ApplySession,
  GenerationTablesPlugin,
  handledEvents,
  physicalTable,
  type Projection,
  type ProjectionChange,
} from '../projection';
import type { ReadModelDialect } from '../database';
import type { ReadModelSchema } from '../schema';

/**
 * Applies events to one generation of the projection's tables, inside the caller's
 * transaction. `sqlite` is the connection that transaction runs on (SQLite read models), for
 * the projections' prepared statements. Returns the changes to report once it commits.
 */
export async function applyToGeneration(
  trx: Transaction<ReadModelSchema>,
  projection: Projection,
  generation: number,
  events: readonly StoredEvent[],
  sqlite?: BetterSqlite3.Database,
  session?: ApplySession,
  dialect?: ReadModelDialect,
): Promise<ProjectionChange[]> {
  return applyHandled(
    trx,
    projection,
    generation,
    handledEvents(projection, events),
    sqlite,
    session,
    dialect,
  );
}

/** {@link applyToGeneration} of events already narrowed to those the projection handles. */
export async function applyHandled(
  trx: Transaction<ReadModelSchema>,
  projection: Projection,
  generation: number,
  events: readonly StoredEvent[],
  sqlite?: BetterSqlite3.Database,
  session?: ApplySession,
  dialect?: ReadModelDialect,
): Promise<ProjectionChange[]> {
  const context: ApplyContext = {
    table: (name) => physicalTable(name, generation),
    ...(sqlite ? { sqlite } : {}),
    ...(session ? { session } : {}),
    ...(dialect ? { dialect } : {}),
    changes: [],
  };
  if (events.length === 0) return context.changes;
  const scoped = trx.withPlugin(new GenerationTablesPlugin(projection.tables, generation));
  if (projection.applyBatch) {
    await projection.applyBatch(scoped, events, context);
    return context.changes;
  }
  for (const event of events) await projection.apply(scoped, event, context);
  return context.changes;
}

/** Sleeps `ms`, or less when woken. A wake-up while nobody sleeps cuts the next sleep short. */
export class Sleeper {
  private wake: (() => void) | undefined;
  private pending = false;

  /** Resolves true when woken before `ms` ran out. */
  sleep(ms: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        clearTimeout(timer);
        if (this.wake === wake) this.wake = undefined;
        resolve(woken);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      timer.unref?.();
      this.wake = wake;
    });
  }

  /** Drops a wake-up that came while nobody slept. */
  forget(): void {
    this.pending = false;
  }

  wakeUp(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }
}

/** Exponential backoff of the runners: `base` doubling per attempt, capped at `max`. */
export interface RetryPolicy {
  /** Default 100 ms. */
  retryBaseMs?: number;
  /** Default 30 s. */
  retryMaxMs?: number;
}

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const base = policy.retryBaseMs ?? 100;
  const max = policy.retryMaxMs ?? 30_000;
  return Math.min(max, base * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Runs `work` until it succeeds, reporting each failure and backing off between attempts;
 * undefined once `active()` turns false (the runner stops or loses its lock).
 */
export async function retryWhileActive<R>(
  active: () => boolean,
  pause: Sleeper,
  policy: RetryPolicy,
  onError: (error: unknown, attempt: number) => void,
  work: () => Promise<R>,
): Promise<R | undefined> {
  for (let attempt = 1; active(); attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!active()) return undefined;
      onError(error, attempt);
      await pause.sleep(backoffMs(policy, attempt));
    }
  }
  return undefined;
}
