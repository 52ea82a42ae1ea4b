import type { Kysely } from 'kysely';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { applicationDecider } from '@engine/incubation/domain/application/application.decider';
import type { ApplicationEvent } from '@engine/incubation/domain/application/application.events';
import { fold } from '@engine/incubation/domain/shared/domain-event';
import { activeGeneration } from '../generations';
import { PROJECTIONS } from '../projections';
import type { ReadModelDatabase } from '../database';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { prng, randomWorkflow } from '../testing/random-workflow.testing';
import { ProjectionRunner } from './projection-runner';
import { rebuildProjections } from './rebuild';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SEED = Number(process.env.REBUILD_SEED ?? 20260302);

const KEYS = {
  applications: 'application_id',
  enterprises: 'credit_code',
  rounds: 'round_id',
  timeline: 'position',
} as const;

async function snapshot(db: ReadModelDatabase) {
  const loose = db.reader as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [table, key] of Object.entries(KEYS)) {
    out[table] = await loose.selectFrom(table).selectAll().orderBy(key).execute();
  }
  return out;
}

/**
 * The proof that a rebuild equals what was built live: a long random workflow runs while the
 * projections follow it in small, irregular batches; then every projection is rebuilt from
 * the first event in large batches, and every table is compared row by row with the live one.
 */
describe.each(['sqlite', 'postgres'] as const)('rebuild equals live on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  let store: EventStore;
  const clock = { now: new Date('2026-03-02T02:00:00.000Z') };

  beforeAll(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    store = new EventStore(new SqliteEventStore({ file: ':memory:', now: () => clock.now }));
  });
  afterAll(async () => {
    await store.close();
    await models.dispose();
  });

  it(`rebuilds every projection to exactly the live rows (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const errors: unknown[] = [];
    const runners = PROJECTIONS.map(
      (projection) =>
        new ProjectionRunner({
          store,
          db,
          projection,
          batchSize: 1 + Math.floor(random() * 12),
          pollIntervalMs: 5,
          retryBaseMs: 5,
          onError: (error) => errors.push(error),
        }),
    );
    runners.forEach((runner) => runner.start());
    try {
      const events = await randomWorkflow(store, {
        seed: SEED,
        enterprises: 60,
        rounds: 6,
        steps: 1500,
        clock,
        // Let the runners interleave with the writes at irregular points.
        afterStep: (step) =>
          step % (1 + Math.floor(random() * 20)) === 0 ? new Promise((r) => setTimeout(r, 1)) : undefined,
      });
      expect(events).toBeGreaterThan(1500);
      const head = await store.headPosition();
      for (const projection of PROJECTIONS) {
        const deadline = Date.now() + 20_000;
        while (((await activeGeneration(db.reader, projection.name))?.position ?? 0) < head) {
          if (Date.now() > deadline) throw new Error(`${projection.name} did not catch up`);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
    }

    expect(errors).toEqual([]);
    const live = await snapshot(db);
    // The workflow went everywhere a status can go.
    expect(new Set(live.applications.map((r) => r.status))).toEqual(
      new Set(['draft', 'submitted', 'recommended', 'returned', 'rejected', 'withdrawn', 'in-expert-review']),
    );
    expect(live.applications.length).toBeGreaterThan(300);
    expect(live.enterprises).toHaveLength(60);
    expect(live.rounds).toHaveLength(6);

    // The live statuses are the aggregate's own: fold each stream with the decider.
    for (const row of live.applications) {
      const stream = await store.readStream(`application-${row.application_id}`);
      const state = fold(
        applicationDecider,
        stream.map((e) => ({ type: e.type, data: e.data }) as ApplicationEvent),
      );
      expect([row.application_id, row.status, row.revision]).toEqual([
        row.application_id,
        state.status,
        stream.length - 1,
      ]);
    }

    // One pass over the store for every projection, in transactions of 1000 events (rows kept
    // in memory across them), as `npm run cli -- rebuild` does.
    const results = await rebuildProjections({ store, db, projections: PROJECTIONS, batchSize: 1000 });
    expect(results.map((r) => [r.projection, r.generation])).toEqual(PROJECTIONS.map((p) => [p.name, 2]));
    const rebuilt = await snapshot(db);
    for (const table of Object.keys(KEYS)) expect(rebuilt[table]).toEqual(live[table]);
  }, 60_000);
});
