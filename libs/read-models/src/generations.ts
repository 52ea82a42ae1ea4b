import { type Kysely, sql, type Transaction } from 'kysely';
import type { ReadModelDialect } from './database';
import { physicalTable, type Projection } from './projection';
import type { CheckpointsTable, ReadModelSchema } from './schema';

export type Generation = Pick<
  CheckpointsTable,
  'projection' | 'generation' | 'version' | 'position' | 'state'
>;

const now = () => new Date().toISOString();

export async function activeGeneration(
  db: Kysely<ReadModelSchema>,
  projection: string,
): Promise<Generation | undefined> {
  return db
    .selectFrom('rm_checkpoints')
    .select(['projection', 'generation', 'version', 'position', 'state'])
    .where('projection', '=', projection)
    .where('state', '=', 'active')
    .executeTakeFirst();
}

export async function listGenerations(
  db: Kysely<ReadModelSchema>,
  projection: string,
): Promise<Generation[]> {
  return db
    .selectFrom('rm_checkpoints')
    .select(['projection', 'generation', 'version', 'position', 'state'])
    .where('projection', '=', projection)
    .orderBy('generation')
    .execute();
}

/**
 * Creates a new generation of the projection's tables with its checkpoint at 0, in one
 * transaction. `active`: served at once (first boot, nothing to serve before it); `building`:
 * a shadow that a rebuild fills and then switches to.
 */
export async function createGeneration(
  db: Kysely<ReadModelSchema>,
  dialect: ReadModelDialect,
  projection: Projection,
  state: 'active' | 'building',
): Promise<Generation> {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('rm_checkpoints')
      .select((eb) => eb.fn.max('generation').as('generation'))
      .where('projection', '=', projection.name)
      .executeTakeFirst();
    const generation = Number(last?.generation ?? 0) + 1;
    const row: CheckpointsTable = {
      projection: projection.name,
      generation,
      version: projection.version,
      position: 0,
      state,
      updated_at: now(),
    };
    // The insert comes first: on SQLite it takes the write lock before anything is read, and a
    // concurrent creator fails here on the primary key instead of half-way through.
    await trx.insertInto('rm_checkpoints').values(row).execute();
    for (const table of projection.tables) {
      const physical = physicalTable(table.name, generation);
      await trx.schema.dropTable(physical).ifExists().execute();
      await table.create(trx as unknown as Kysely<unknown>, physical, dialect);
    }
    if (state === 'active') {
      // Served (and written row by row) at once: indexes now. A shadow gets them when loaded.
      await createIndexes(trx, projection, generation);
      await pointViews(trx, projection, generation);
    }
    return row;
  });
}

/** Creates the secondary indexes of a generation's tables (idempotent). */
export async function createIndexes(
  db: Kysely<ReadModelSchema>,
  projection: Projection,
  generation: number,
): Promise<void> {
  for (const table of projection.tables) {
    await table.indexes?.(db as unknown as Kysely<unknown>, physicalTable(table.name, generation));
  }
}

/** Re-creates the projection's views over one generation (inside the caller's transaction). */
export async function pointViews(
  trx: Transaction<ReadModelSchema>,
  projection: Projection,
  generation: number,
): Promise<void> {
  for (const table of projection.tables) {
    await trx.schema.dropView(table.name).ifExists().execute();
    await sql`create view ${sql.id(table.name)} as select * from ${sql.id(physicalTable(table.name, generation))}`.execute(
      trx,
    );
  }
}

export class CheckpointMovedError extends Error {
  constructor(projection: string, generation: number) {
    super(`the checkpoint of ${projection} generation ${generation} moved or was retired`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * The atomic switch: in one transaction, the served generation is retired and `generation`
 * (a caught-up shadow at `position`) becomes active, and the views are pointed at it. Readers
 * see the old tables until the commit and the new ones after it.
 */
export async function switchToGeneration(
  db: Kysely<ReadModelSchema>,
  projection: Projection,
  generation: number,
  position: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Retire first (a write, so SQLite takes its write lock before reading anything; and the
    // "one active generation" index never sees two).
    await trx
      .updateTable('rm_checkpoints')
      .set({ state: 'retired', updated_at: now() })
      .where('projection', '=', projection.name)
      .where('state', '=', 'active')
      .where('generation', '!=', generation)
      .execute();
    const activated = await trx
      .updateTable('rm_checkpoints')
      .set({ state: 'active', updated_at: now() })
      .where('projection', '=', projection.name)
      .where('generation', '=', generation)
      .where('state', '=', 'building')
      .where('position', '=', position)
      .executeTakeFirst();
    if (Number(activated.numUpdatedRows) !== 1) throw new CheckpointMovedError(projection.name, generation);
    await pointViews(trx, projection, generation);
  });
}

/** Drops a generation's tables and forgets it. Never the active one. */
export async function dropGeneration(
  db: Kysely<ReadModelSchema>,
  projection: Projection,
  generation: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('rm_checkpoints')
      .where('projection', '=', projection.name)
      .where('generation', '=', generation)
      .where('state', '!=', 'active')
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) return;
    for (const table of projection.tables) {
      await trx.schema.dropTable(physicalTable(table.name, generation)).ifExists().execute();
    }
  });
}

/**
 * Writes a page of events into a generation and moves its checkpoint from `expected` to
 * `next`, in one transaction. The checkpoint is compared and set first: if another writer
 * moved it (a second runner, a stale leader) or the generation was retired, nothing is written
 * and CheckpointMovedError is thrown, so an event is never applied twice or skipped.
 */
export async function commitPage<T = void>(
  db: Kysely<ReadModelSchema>,
  projection: Projection,
  generation: number,
  expected: number,
  next: number,
  apply: (trx: Transaction<ReadModelSchema>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await moveCheckpoint(trx, projection, generation, expected, next);
    return apply(trx);
  });
}

/**
 * The compare-and-set of a generation's checkpoint from `expected` to `next`, inside the
 * caller's transaction; CheckpointMovedError (rolling the transaction back) when another
 * writer moved it or the generation was retired.
 */
export async function moveCheckpoint(
  trx: Transaction<ReadModelSchema>,
  projection: Projection,
  generation: number,
  expected: number,
  next: number,
): Promise<void> {
  const moved = await trx
    .updateTable('rm_checkpoints')
    .set({ position: next, updated_at: now() })
    .where('projection', '=', projection.name)
    .where('generation', '=', generation)
    .where('position', '=', expected)
    .where('state', '!=', 'retired')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new CheckpointMovedError(projection.name, generation);
}
