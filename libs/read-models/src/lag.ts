import type { EventStore } from '@engine/event-store';
import type { ObservedProjections, ProjectionLag } from '@engine/platform';
import type { ReadModelDatabase } from './database';
import { PROJECTIONS } from './projections';

/**
 * Where each projection's served generation stands against the store's head: for the
 * Prometheus gauges (projection_lag_events, projection_last_commit_age_seconds) and the
 * readiness detail. A projection without a served generation yet counts from 0.
 */
export class ProjectionLagProbe implements ObservedProjections {
  constructor(
    private readonly db: ReadModelDatabase,
    private readonly store: Pick<EventStore, 'headPosition'>,
    private readonly names: readonly string[] = PROJECTIONS.map((p) => p.name),
  ) {}

  async lag(): Promise<ProjectionLag[]> {
    const [head, rows] = await Promise.all([
      this.store.headPosition(),
      this.db.reader
        .selectFrom('rm_checkpoints')
        .select(['projection', 'position', 'updated_at'])
        .where('state', '=', 'active')
        .execute(),
    ]);
    const active = new Map(rows.map((row) => [row.projection, row]));
    return this.names.map((projection) => {
      const row = active.get(projection);
      const checkpoint = row ? Number(row.position) : 0;
      return {
        projection,
        checkpoint,
        head,
        lag: Math.max(0, head - checkpoint),
        ...(row ? { lastCommitAt: row.updated_at } : {}),
      };
    });
  }

  /** Parked events not yet resolved, per processor (projections are `projection:<name>`). */
  async parked(): Promise<{ processor: string; events: number }[]> {
    const rows = await this.db.reader
      .selectFrom('processor_parked')
      .select(['processor', (eb) => eb.fn.countAll<number>().as('events')])
      .where('state', '!=', 'resolved')
      .groupBy('processor')
      .orderBy('processor')
      .execute();
    return rows.map((row) => ({ processor: row.processor, events: Number(row.events) }));
  }
}
