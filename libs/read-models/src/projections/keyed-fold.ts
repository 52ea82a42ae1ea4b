import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import type { ApplyContext } from '../projection';
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
  /** Told of every row an event changed (after `fold`), to report changes once committed. */
  changed?(before: Row | undefined, after: Row, event: StoredEvent, context: ApplyContext): void;
}

type LooseDb = Record<string, Record<string, unknown>>;

/** SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535: stay well under both. */
const MAX_PARAMETERS = 8000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The rows of one table a transaction has read or folded, and which of them still need writing. */
interface TableState<Row> {
  rows: Map<string, Row | undefined>;
  dirty: Set<string>;
  /** Whether its write is registered with the session's current transaction. */
  registered?: boolean;
  /**
   * In a fresh session (the table began empty): the keys it has written. A key neither here
   * nor in `rows` has no row, and is not looked up.
   */
  written?: Set<string>;
}

/**
 * Applies a page of events with a handful of statements whatever its size: loads the rows the
 * page touches (those it does not hold already), folds every event in memory in order, and
 * upserts the rows that changed. Inside a rebuild's session (`context.session`) the rows stay
 * in memory across pages and are written once, when the transaction is about to commit, so a
 * row touched by many events of the transaction is written once.
 */
export async function applyKeyedFold<Row extends object>(
  trx: Transaction<ReadModelSchema>,
  spec: KeyedFold<Row>,
  events: readonly StoredEvent[],
  context?: ApplyContext,
): Promise<void> {
  if (events.length === 0) return;
  const sqlite = context?.sqlite;
  const table = context ? context.table(spec.table) : spec.table;
  const session = context?.session;
  let state = session?.memo.get(table) as TableState<Row> | undefined;
  if (session && !state?.registered) {
    const held: TableState<Row> = state ?? { rows: new Map(), dirty: new Set() };
    held.registered = true;
    session.memo.set(table, held);
    session.beforeCommit(async () => {
      held.registered = false;
      await write(trx, spec, table, held, context);
    });
    state = held;
  }
  state ??= { rows: new Map(), dirty: new Set() };
  if (session?.fresh) state.written ??= new Set();
  const { rows, dirty, written } = state;
  let missing = [...new Set(events.map((event) => spec.idOf(event)))].filter((id) => !rows.has(id));
  if (written) {
    // Nothing but this session writes the table, which began empty: what it never wrote is absent.
    for (const id of missing) if (!written.has(id)) rows.set(id, undefined);
    missing = missing.filter((id) => written.has(id));
  }
  if (sqlite) {
    const select = prepared(sqlite, `SELECT * FROM ${quote(table)} WHERE ${quote(spec.key)} = ?`);
    for (const id of missing) rows.set(id, select.get(id) as Row | undefined);
  } else {
    const db = trx as unknown as Kysely<LooseDb>;
    const key: string = spec.key;
    for (const id of missing) rows.set(id, undefined);
    for (const chunk of chunks(missing, MAX_PARAMETERS)) {
      // The logical name: the transaction's plugin points it at the generation.
      const found = await db.selectFrom(spec.table).selectAll().where(key, 'in', chunk).execute();
      for (const row of found) rows.set(String(row[key]), row as Row);
    }
  }
  for (const event of events) {
    const id = spec.idOf(event);
    const before = rows.get(id);
    const next = spec.fold(before, event);
    if (next) {
      if (context) spec.changed?.(before, next, event, context);
      rows.set(id, next);
      dirty.add(id);
    }
  }
  // Without a session the page is written now; within one, once the transaction ends, or
  // earlier when many rows wait (memory stays bounded however long the transaction).
  if (!session || dirty.size >= DIRTY_ROWS_HELD) await write(trx, spec, table, state, context);
}

/** Most changed rows of one table a session holds before writing them (still in its transaction). */
const DIRTY_ROWS_HELD = 250_000;

/** Upserts the dirty rows, and forgets what it held. */
async function write<Row extends object>(
  trx: Transaction<ReadModelSchema>,
  spec: KeyedFold<Row>,
  table: string,
  state: TableState<Row>,
  context: ApplyContext | undefined,
): Promise<void> {
  const { rows, dirty, written } = state;
  const stored = (id: string) => rows.get(id)! as Record<string, unknown>;
  let upserted = [...dirty];
  const copyRows = context?.session?.copyRows;
  if (copyRows && written) {
    // PostgreSQL, a fresh shadow: it holds exactly the keys written so far, so the others are
    // new rows, which go in by COPY; only rows written before need the upsert.
    const fresh = upserted.filter((id) => !written.has(id));
    upserted = upserted.filter((id) => written.has(id));
    await copyRows(
      trx,
      table,
      spec.columns,
      fresh.map((id) => {
        const row = stored(id);
        return spec.columns.map((c) => row[c] ?? null);
      }),
    );
  }
  await insertRows(trx, context, table, spec.table, spec.columns, upserted.map(stored), {
    key: spec.key,
    update: spec.columns.filter((c) => c !== spec.key),
  });
  if (written) for (const id of dirty) written.add(id);
  dirty.clear();
  // A session keeps what it read for the next transaction (a rebuild's rows are its own), up
  // to a bound; otherwise the rows are forgotten.
  if (rows.size > ROWS_KEPT) rows.clear();
}

/** Rows per PostgreSQL statement of {@link insertJsonRows}. */
const JSON_ROWS_PER_STATEMENT = 5000;

/**
 * What an insert does with a row that breaks a unique key: keep the stored row (`update`
 * absent; `key` absent: whichever unique key it breaks), or overwrite the `update` columns of
 * the row with the same `key`.
 */
export type OnConflict =
  { key?: undefined; update?: undefined } | { key: string; update?: readonly string[] };

/**
 * Inserts rows into a projection's table, the one way every projection writes them: on SQLite
 * through multi-row statements prepared once per connection (`context.sqlite`), on PostgreSQL as
 * one JSON parameter per 5,000 rows (`context.dialect`), and otherwise (a projection applied
 * without a context, as a test may) through Kysely and the table's logical name, which the
 * transaction points at the generation. `table` is the physical name, `logical` the table's own.
 */
export async function insertRows(
  trx: Transaction<ReadModelSchema>,
  context: ApplyContext | undefined,
  table: string,
  logical: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  onConflict: OnConflict,
): Promise<void> {
  if (rows.length === 0) return;
  const { key } = onConflict;
  const update = onConflict.update ?? [];
  if (context?.sqlite) {
    const target = key === undefined ? '' : ` (${quote(key)})`;
    const conflict = update.length
      ? `ON CONFLICT${target} DO UPDATE SET ${update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`
      : `ON CONFLICT${target} DO NOTHING`;
    const sqlite = context.sqlite;
    runInChunks(
      (count) =>
        prepared(
          sqlite,
          `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${rowPlaceholders(
            columns.length,
            count,
          )} ${conflict}`,
        ),
      rows,
      columns.length,
      (row, params, at) => {
        for (const c of columns) params[at++] = row[c] ?? null;
      },
    );
  } else if (context?.dialect === 'postgres') {
    const target = key === undefined ? sql`` : sql`(${sql.id(key)})`;
    const conflict = update.length
      ? sql`on conflict ${target} do update set ${sql.join(
          update.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`),
        )}`
      : sql`on conflict ${target} do nothing`;
    await insertJsonRows(trx, table, columns, rows, conflict);
  } else {
    const db = trx as unknown as Kysely<LooseDb>;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    for (const chunk of chunks(rows, perStatement)) {
      await db
        .insertInto(logical)
        .values(chunk.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))))
        .onConflict((oc) =>
          key === undefined
            ? oc.doNothing()
            : update.length
              ? oc
                  .column(key)
                  .doUpdateSet((eb) => Object.fromEntries(update.map((c) => [c, eb.ref(`excluded.${c}`)])))
              : oc.column(key).doNothing(),
        )
        .execute();
    }
  }
}

/**
 * PostgreSQL: inserts rows into the physical `table` through `json_populate_recordset`, the
 * columns converted by the table's own types; `conflict` is the statement's `on conflict`
 * clause. Far cheaper than multi-row VALUES (8,000 bound parameters a statement, each compiled
 * by Kysely and bound by the server) for a rebuild's hundreds of thousands of rows.
 */
async function insertJsonRows(
  trx: Transaction<ReadModelSchema>,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  conflict: RawBuilder<unknown>,
): Promise<void> {
  const names = sql.join(columns.map((c) => sql.id(c)));
  for (let i = 0; i < rows.length; i += JSON_ROWS_PER_STATEMENT) {
    const json = JSON.stringify(rows.slice(i, i + JSON_ROWS_PER_STATEMENT), (_key, value: unknown) =>
      value === undefined ? null : value,
    );
    await sql`insert into ${sql.id(table)} (${names})
      select ${names} from json_populate_recordset(null::${sql.id(table)}, ${json}::json)
      ${conflict}`.execute(trx);
  }
}

/** Most rows of one table a rebuild keeps in memory between its transactions. */
const ROWS_KEPT = 250_000;

/** Rows per multi-row statement on SQLite (its 32,766 bound parameters allow far more). */
const ROWS_PER_STATEMENT = 64;

/** `(?, ?), (?, ?)`: `count` rows of `columns` parameters. */
function rowPlaceholders(columns: number, count: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: count }, () => row).join(', ');
}

/**
 * Runs `statement(ROWS_PER_STATEMENT)` over the items in full chunks, then `statement(1)` for
 * the rest; `bind` writes an item's parameters into `params` from `at`.
 */
function runInChunks<T>(
  statement: (rows: number) => BetterSqlite3.Statement,
  items: readonly T[],
  columns: number,
  bind: (item: T, params: unknown[], at: number) => void,
): void {
  const full = items.length - (items.length % ROWS_PER_STATEMENT);
  if (full > 0) {
    const many = statement(ROWS_PER_STATEMENT);
    const params = new Array<unknown>(ROWS_PER_STATEMENT * columns);
    for (let i = 0; i < full; i += ROWS_PER_STATEMENT) {
      for (let k = 0; k < ROWS_PER_STATEMENT; k++) bind(items[i + k], params, k * columns);
      many.run(params);
    }
  }
  if (full < items.length) {
    const one = statement(1);
    const params = new Array<unknown>(columns);
    for (let i = full; i < items.length; i++) {
      bind(items[i], params, 0);
      one.run(params);
    }
  }
}

/** Prepared statements per connection and SQL text (the physical table is in the text). */
const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/** A statement prepared once per connection and reused for every row and page after. */
export function prepared(sqlite: BetterSqlite3.Database, text: string): BetterSqlite3.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) {
    statement = sqlite.prepare(text);
    cache.set(text, statement);
    // Generations come and go: keep the cache from growing without bound.
    if (cache.size > 200) cache.delete(cache.keys().next().value!);
  }
  return statement;
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
