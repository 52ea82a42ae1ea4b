import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import type { ProjectionTableName, ReadModelSchema } from '../schema';

/** One row per aggregate, folded event by event. */
export interface KeyedFold<Row extends object> {
  table: ProjectionTableName;
  key: keyof Row & string;
  columns: readonly (keyof Row & string)[];
  /** The row's key for this event (the aggregate's id, from its stream). */
  idOf(event: StoredEvent): string;
  /**
   * The row after the event, given the row before it (undefined when none yet). Returns
   * undefined when the event changes nothing (an event already folded in, say).
   */
  fold(row: Row | undefined, event: StoredEvent): Row | undefined;
}

type LooseDb = Record<string, Record<string, unknown>>;

/** SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535: stay well under both. */
const MAX_PARAMETERS = 8000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Applies a page of events with a handful of statements whatever its size: loads the rows the
 * page touches, folds every event in memory in order, and upserts the rows that changed.
 */
export async function applyKeyedFold<Row extends object>(
  trx: Transaction<ReadModelSchema>,
  spec: KeyedFold<Row>,
  events: readonly StoredEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const db = trx as unknown as Kysely<LooseDb>;
  const key: string = spec.key;
  const ids = [...new Set(events.map((event) => spec.idOf(event)))];
  const rows = new Map<string, Row>();
  for (const chunk of chunks(ids, MAX_PARAMETERS)) {
    const found = await db.selectFrom(spec.table).selectAll().where(key, 'in', chunk).execute();
    for (const row of found) rows.set(String(row[key]), row as Row);
  }
  const changed = new Set<string>();
  for (const event of events) {
    const id = spec.idOf(event);
    const next = spec.fold(rows.get(id), event);
    if (next) {
      rows.set(id, next);
      changed.add(id);
    }
  }
  if (changed.size === 0) return;
  const updates = spec.columns.filter((c) => c !== key);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / spec.columns.length));
  for (const chunk of chunks([...changed], perStatement)) {
    const values = chunk.map((id) => {
      const row = rows.get(id)! as Record<string, unknown>;
      return Object.fromEntries(spec.columns.map((c) => [c, row[c] ?? null]));
    });
    await db
      .insertInto(spec.table)
      .values(values)
      .onConflict((oc) =>
        oc
          .column(key)
          .doUpdateSet((eb) => Object.fromEntries(updates.map((c) => [c, eb.ref(`excluded.${c}`)]))),
      )
      .execute();
  }
}
