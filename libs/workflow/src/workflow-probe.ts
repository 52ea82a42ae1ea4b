import type { Clock, ObservedWorkflow } from '@engine/platform';
import type { ReadModelDatabase } from '@engine/read-models';

/** Timers and parked work, counted for /metrics (Metrics.watchWorkflow). */
export class WorkflowProbe implements ObservedWorkflow {
  constructor(
    private readonly db: ReadModelDatabase,
    private readonly clock: Clock,
  ) {}

  async counts(): Promise<{ scheduled: number; due: number; parked: number }> {
    const now = this.clock.now().toISOString();
    const [scheduled, due, parked] = await Promise.all([
      this.db.reader
        .selectFrom('timers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'scheduled')
        .executeTakeFirst(),
      this.db.reader
        .selectFrom('timers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'scheduled')
        .where('due_at', '<=', now)
        .executeTakeFirst(),
      this.db.reader
        .selectFrom('processor_parked')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '!=', 'resolved')
        .executeTakeFirst(),
    ]);
    return { scheduled: Number(scheduled?.n ?? 0), due: Number(due?.n ?? 0), parked: Number(parked?.n ?? 0) };
  }
}
