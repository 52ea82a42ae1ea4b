import type { StoredEvent } from '@engine/event-store';
import type { ProcessorParkedTable, ReadModelDatabase } from '@engine/read-models';

const MAX_ERROR_TEXT = 2000;

/** Checkpoints and parked events of the event processors, in the read-model database. */
export class ProcessorStore {
  constructor(private readonly db: ReadModelDatabase) {}

  async position(processor: string): Promise<number | undefined> {
    const row = await this.db.writer
      .selectFrom('processor_checkpoints')
      .select('position')
      .where('processor', '=', processor)
      .executeTakeFirst();
    return row ? Number(row.position) : undefined;
  }

  /** Creates the checkpoint at `position`, or returns the one another instance created first. */
  async create(processor: string, position: number): Promise<number> {
    await this.db.writer
      .insertInto('processor_checkpoints')
      .values({ processor, position, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('processor').doNothing())
      .execute();
    return (await this.position(processor))!;
  }

  /**
   * Moves the checkpoint from `from` to `to` (compare-and-set). Returns the position now
   * stored: `to`, or wherever another writer moved it.
   */
  async advance(processor: string, from: number, to: number): Promise<number> {
    const result = await this.db.writer
      .updateTable('processor_checkpoints')
      .set({ position: to, updated_at: new Date().toISOString() })
      .where('processor', '=', processor)
      .where('position', '=', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return to;
    return (await this.position(processor)) ?? from;
  }

  async park(
    processor: string,
    event: StoredEvent,
    attempts: number,
    error: unknown,
    now: Date,
  ): Promise<void> {
    const text = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(
      0,
      MAX_ERROR_TEXT,
    );
    const at = now.toISOString();
    await this.db.writer
      .insertInto('processor_parked')
      .values({
        processor,
        event_id: event.id,
        position: event.position,
        stream: event.stream,
        type: event.type,
        attempts,
        error: text,
        parked_at: at,
        state: 'parked',
        updated_at: at,
      })
      .onConflict((oc) =>
        oc
          .columns(['processor', 'event_id'])
          .doUpdateSet({ attempts, error: text, state: 'parked', updated_at: at }),
      )
      .execute();
  }

  toRetry(processor: string): Promise<ProcessorParkedTable[]> {
    return this.db.writer
      .selectFrom('processor_parked')
      .selectAll()
      .where('processor', '=', processor)
      .where('state', '=', 'retry')
      .orderBy('position')
      .limit(50)
      .execute();
  }

  async resolve(processor: string, eventId: string, now: Date, note?: string): Promise<void> {
    await this.db.writer
      .updateTable('processor_parked')
      .set({ state: 'resolved', updated_at: now.toISOString(), ...(note ? { error: note } : {}) })
      .where('processor', '=', processor)
      .where('event_id', '=', eventId)
      .execute();
  }

  /** Parked (and retrying) events, oldest first: what an operator looks at. */
  list(state?: ProcessorParkedTable['state']): Promise<ProcessorParkedTable[]> {
    let query = this.db.reader.selectFrom('processor_parked').selectAll();
    query = state ? query.where('state', '=', state) : query.where('state', '!=', 'resolved');
    return query.orderBy('parked_at').orderBy('position').limit(500).execute();
  }

  /** Marks a parked event for another attempt. False when there is no such parked event. */
  async requestRetry(processor: string, eventId: string, now: Date): Promise<boolean> {
    const result = await this.db.writer
      .updateTable('processor_parked')
      .set({ state: 'retry', updated_at: now.toISOString() })
      .where('processor', '=', processor)
      .where('event_id', '=', eventId)
      .where('state', '=', 'parked')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
