import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import {
  TIMER_EVENT_TYPES,
  TIMER_STREAM_PREFIX,
  type TimerEvent,
} from '@engine/workflow/timers/timer.events';
import type { ReadModelDialect } from '../database';
import { keyText, type Projection } from '../projection';
import type { ReadModelSchema, TimersTable } from '../schema';
import { applyKeyedFold, type KeyedFold } from './keyed-fold';

export function foldTimer(row: TimersTable | undefined, event: StoredEvent): TimersTable | undefined {
  if (row && event.revision <= row.revision) return undefined;
  const timer = event as unknown as StoredEvent & TimerEvent;
  switch (timer.type) {
    case 'TimerScheduled':
      return {
        timer_id: timer.data.timerId,
        purpose: timer.data.purpose,
        due_at: timer.data.dueAt,
        status: 'scheduled',
        settled_at: null,
        revision: event.revision,
        last_position: event.position,
      };
    case 'TimerFired':
    case 'TimerCancelled':
      if (!row) throw new Error(`${event.type} at position ${event.position}: no such timer`);
      return {
        ...row,
        status: timer.type === 'TimerFired' ? 'fired' : 'cancelled',
        settled_at: event.metadata.occurredAt,
        revision: event.revision,
        last_position: event.position,
      };
  }
}

const fold: KeyedFold<TimersTable> = {
  table: 'timers',
  key: 'timer_id',
  columns: ['timer_id', 'purpose', 'due_at', 'status', 'settled_at', 'revision', 'last_position'],
  idOf: (event) => event.stream.slice(TIMER_STREAM_PREFIX.length),
  fold: foldTimer,
};

/**
 * One row per durable timer: what the sweep reads to fire timers whose queue job was lost,
 * and what the timer metrics count (due, overdue).
 */
export const timersProjection: Projection = {
  name: 'timers',
  version: 1,
  handles: TIMER_EVENT_TYPES,
  streams: [TIMER_STREAM_PREFIX],
  tables: [
    {
      name: 'timers',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('timer_id', key, (c) => c.primaryKey())
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('due_at', key, (c) => c.notNull())
          .addColumn('status', key, (c) => c.notNull())
          .addColumn('settled_at', 'text')
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .execute();
      },
      async indexes(db: Kysely<unknown>, table: string) {
        await db.schema
          .createIndex(`${table}_due`)
          .ifNotExists()
          .on(table)
          .columns(['status', 'due_at'])
          .execute();
      },
    },
  ],
  apply(trx: Transaction<ReadModelSchema>, event: StoredEvent) {
    return applyKeyedFold(trx, fold, [event]);
  },
  applyBatch(trx: Transaction<ReadModelSchema>, events: readonly StoredEvent[]) {
    return applyKeyedFold(trx, fold, events);
  },
};
