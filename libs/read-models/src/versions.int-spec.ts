import { sql } from 'kysely';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import type { ReadModelDatabase } from './database';
import { ReadModelFreshness, ReadModelProgress } from './freshness';
import { createGeneration } from './generations';
import { applicationsProjection } from './projections/applications.projection';
import { enterprisesProjection } from './projections/enterprises.projection';
import { APPLICATIONS_SHAPE_FOR_TABLES, ReadModelQueries } from './read-models.module';
import { testReadModels, type TestReadModels } from './testing/databases.testing';
import { ReadModelRebuildingError } from './versions';

// After an upgrade the leader rebuilds a projection whose version changed while the old
// generation is still served; a read that needs the new shape must say so, not fail in SQL.
describe('reads that need the current shape of the applications projection (SQLite)', () => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  let queries: ReadModelQueries;
  beforeAll(async () => {
    models = testReadModels('sqlite', '');
    db = await models.open();
    const store = new EventStore(
      new SqliteEventStore({ file: ':memory:', now: () => new Date('2026-05-01T00:00:00Z') }),
    );
    queries = new ReadModelQueries(db, new ReadModelFreshness(db, store, new ReadModelProgress()));
    await createGeneration(db.writer, 'sqlite', applicationsProjection, 'active');
    await createGeneration(db.writer, 'sqlite', enterprisesProjection, 'active');
  });
  afterAll(() => models.dispose());

  const roundTable = { roundId: 'r-1', sort: 'name', limit: 20 } as const;
  const setServedVersion = (version: number) =>
    sql`update rm_checkpoints set version = ${version} where projection = 'applications' and state = 'active'`.execute(
      db.writer,
    );

  it('answers READ_MODEL_REBUILDING for the worklist and the round table while an older generation is served', async () => {
    await setServedVersion(APPLICATIONS_SHAPE_FOR_TABLES - 1);
    const refusal = queries.worklist({ jurisdiction: 'js.wuxi', limit: 20 });
    await expect(refusal).rejects.toBeInstanceOf(ReadModelRebuildingError);
    await expect(refusal).rejects.toMatchObject({
      code: 'READ_MODEL_REBUILDING',
      projection: 'applications',
      served: APPLICATIONS_SHAPE_FOR_TABLES - 1,
      needed: APPLICATIONS_SHAPE_FOR_TABLES,
    });
    await expect(queries.roundApplications(roundTable)).rejects.toBeInstanceOf(ReadModelRebuildingError);
  });

  it('serves them once the rebuilt generation is active', async () => {
    await setServedVersion(APPLICATIONS_SHAPE_FOR_TABLES);
    await expect(queries.worklist({ jurisdiction: 'js.wuxi', limit: 20 })).resolves.toMatchObject({
      items: [],
    });
    await expect(queries.roundApplications(roundTable)).resolves.toMatchObject({ total: 0 });
  });
});
