import type { Kysely } from 'kysely';
import { EventStore, type StoredEvent } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import type { ReadModelDatabase } from '../database';
import { activeGeneration, listGenerations } from '../generations';
import { physicalTable, type Projection } from '../projection';
import { applicationsProjection, PROJECTIONS } from '../projections';
import type { ProjectionTableName } from '../schema';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { randomWorkflow } from '../testing/random-workflow.testing';
import { LocalLock, LOCK_CLASS_PROJECTION, PostgresAdvisoryLock } from './leader-lock';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
import { rebuildProjection } from './rebuild';
import { ProjectionLagProbe } from '../lag';
import { checkHealth, type RedisProbe } from '@engine/platform';

// CI starts PostgreSQL: when it is unreachable these tests fail, they never skip.
const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Counts the events it is given: applying one twice would show. */
interface CountsRow {
  stream: string;
  applied: number;
}
const countingProjection: Projection = {
  name: 'event-counts',
  version: 1,
  handles: ['EnterpriseRegistered', 'RoundCreated', 'ApplicationCreated', 'ApplicationSubmitted'],
  tables: [
    {
      name: 'event_counts' as ProjectionTableName,
      async create(db, table) {
        await db.schema
          .createTable(table)
          .addColumn('stream', 'text', (c) => c.primaryKey())
          .addColumn('applied', 'integer', (c) => c.notNull())
          .execute();
      },
    },
  ],
  async apply(trx, event) {
    const db = trx as unknown as Kysely<{ event_counts: CountsRow }>;
    await db
      .insertInto('event_counts')
      .values({ stream: event.stream, applied: 1 })
      .onConflict((oc) =>
        oc.column('stream').doUpdateSet((eb) => ({ applied: eb('event_counts.applied', '+', 1) })),
      )
      .execute();
  },
};

describe.each(['sqlite', 'postgres'] as const)('projection runner on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  let store: EventStore;
  const clock = { now: new Date('2026-03-02T02:00:00.000Z') };
  const runners: ProjectionRunner[] = [];
  const run = (
    options: Partial<ProjectionRunnerOptions> & { projection: Projection; db?: ReadModelDatabase },
  ) => {
    const runner = new ProjectionRunner({
      store,
      db,
      batchSize: 7,
      pollIntervalMs: 20,
      lockRetryMs: 50,
      retryBaseMs: 5,
      retryMaxMs: 50,
      ...options,
    });
    runner.start();
    runners.push(runner);
    return runner;
  };
  const caughtUp = async (projection: string, on: ReadModelDatabase = db) => {
    const head = await store.headPosition();
    await waitFor(`${projection} to reach ${head}`, async () => {
      const g = await activeGeneration(on.reader, projection);
      return g !== undefined && g.position >= head;
    });
  };
  const rows = (table: ProjectionTableName, on: ReadModelDatabase = db) =>
    (on.reader as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .selectFrom(table)
      .selectAll()
      .orderBy(
        table === 'enterprises'
          ? 'credit_code'
          : table === 'rounds'
            ? 'round_id'
            : table === 'applications'
              ? 'application_id'
              : 'stream',
      )
      .execute();

  beforeEach(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    store = new EventStore(new SqliteEventStore({ file: ':memory:', now: () => clock.now }));
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await store.close();
    await models.dispose();
  });

  it('follows the store live and keeps each batch and its checkpoint in one transaction', async () => {
    await randomWorkflow(store, { seed: 1, enterprises: 5, rounds: 2, steps: 20, clock });
    run({ projection: applicationsProjection });
    await caughtUp('applications');
    await randomWorkflow(store, { seed: 2, enterprises: 5, rounds: 2, steps: 40, clock });
    await caughtUp('applications');
    const applied = await rows('applications');
    const created = (await store.readAll({ limit: 10_000, filter: { types: ['ApplicationCreated'] } }))
      .events;
    expect(applied.map((r) => r.application_id).sort()).toEqual(
      created.map((e) => (e.data as { applicationId: string }).applicationId).sort(),
    );
    // Checkpoint and rows agree: every row's last position is at or below the checkpoint.
    const checkpoint = (await activeGeneration(db.reader, 'applications'))!.position;
    expect(Math.max(...applied.map((r) => Number(r.last_position)))).toBeLessThanOrEqual(checkpoint);
    expect(checkpoint).toBe(await store.headPosition());
  });

  it('lingers after an append to take several in one page, but never keeps a waiting caller', async () => {
    await randomWorkflow(store, { seed: 11, enterprises: 3, rounds: 1, steps: 5, clock });
    // A linger (and a poll) far longer than the test: only a wake-up without lingering passes.
    const runner = run({ projection: applicationsProjection, lingerMs: 600_000, pollIntervalMs: 600_000 });
    await runner.reached(await store.headPosition());
    await randomWorkflow(store, { seed: 12, enterprises: 3, rounds: 1, steps: 10, clock });
    const head = await store.headPosition();
    await runner.reached(head);
    expect((await activeGeneration(db.reader, 'applications'))!.position).toBe(head);
    const created = (await store.readAll({ limit: 10_000, filter: { types: ['ApplicationCreated'] } }))
      .events;
    expect((await rows('applications')).length).toBe(created.length);
  });

  it('reads appends that arrive one after another as one page: one commit for the burst, not one each', async () => {
    const commits: number[] = [];
    run({
      projection: countingProjection,
      batchSize: 500,
      lingerMs: 1000,
      onProgress: (_projection, position) => commits.push(position),
    });
    await caughtUp('event-counts');
    // 21 appends, each awaited (each its own store transaction and wake-up), within the wait.
    const events = await randomWorkflow(store, { seed: 5, enterprises: 20, rounds: 1, steps: 0, clock });
    expect(events).toBe(21);
    await caughtUp('event-counts');
    expect(commits.length).toBeLessThanOrEqual(2);
    const counts = await rows('event_counts' as ProjectionTableName);
    expect(counts).toHaveLength(21);
    expect(counts.every((r) => Number(r.applied) === 1)).toBe(true);
  });

  it('retries a failing batch with backoff, names the failing event, and never skips it', async () => {
    await randomWorkflow(store, { seed: 3, enterprises: 4, rounds: 1, steps: 10, clock });
    const all = (await store.readAll({ limit: 10_000, filter: { types: countingProjection.handles } }))
      .events;
    const poison = all[4];
    let failuresLeft = 3;
    const failures: { event?: StoredEvent; attempt: number }[] = [];
    run({
      projection: {
        ...countingProjection,
        async apply(trx, event) {
          if (event.id === poison.id && failuresLeft-- > 0) throw new Error('disk on fire');
          await countingProjection.apply(trx, event);
        },
      },
      onError: (_error, event, attempt) => failures.push({ event, attempt }),
    });
    await caughtUp('event-counts');
    // The first failure is the whole batch; then it narrows to the event and retries it.
    expect(failures[0].event).toBeUndefined();
    expect(failures.slice(1).map((f) => f.event?.id)).toEqual([poison.id, poison.id]);
    const counts = await rows('event_counts' as ProjectionTableName);
    const expected = new Map<string, number>();
    for (const e of all) expected.set(e.stream, (expected.get(e.stream) ?? 0) + 1);
    expect(counts.map((r) => [r.stream, Number(r.applied)])).toEqual(
      [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });

  it('parks an event that keeps failing, steps over it, and reports it to the health probe', async () => {
    await randomWorkflow(store, { seed: 4, enterprises: 3, rounds: 1, steps: 8, clock });
    const all = (await store.readAll({ limit: 10_000, filter: { types: countingProjection.handles } }))
      .events;
    const poison = all[2];
    const parked: StoredEvent[] = [];
    run({
      projection: {
        ...countingProjection,
        async apply(trx, event) {
          // As a NUL in a text column on PostgreSQL: fails on every retry.
          if (event.id === poison.id) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
          await countingProjection.apply(trx, event);
        },
      },
      parkAfterAttempts: 3,
      onParked: (event) => parked.push(event),
    });
    await caughtUp('event-counts');
    expect(parked.map((e) => e.id)).toEqual([poison.id]);
    const parkedRows = await db.reader.selectFrom('processor_parked').selectAll().execute();
    expect(parkedRows).toEqual([
      expect.objectContaining({
        processor: 'projection:event-counts',
        event_id: poison.id,
        state: 'parked',
        error: expect.stringContaining('0x00'),
      }),
    ]);
    // Every other event is applied; the poisoned one is not.
    const counts = await rows('event_counts' as ProjectionTableName);
    const total = counts.reduce((n, r) => n + Number(r.applied), 0);
    expect(total).toBe(all.length - 1);
    const probe = new ProjectionLagProbe(db, store, ['event-counts']);
    expect(await probe.parked()).toEqual([{ processor: 'projection:event-counts', events: 1 }]);
    const health = await checkHealth(
      store,
      { ping: async () => ({ status: 'up' }) } as unknown as RedisProbe,
      new Date('2026-03-02T02:00:00.000Z'),
      probe,
    );
    expect(health.status).toBe('degraded');
    expect(health.checks.projections).toMatchObject({ status: 'parked' });
  });

  it('applies every event exactly once even with two runners writing the same database', async () => {
    // PostgreSQL: two pools, as two replicas would have. SQLite: one connection, since within
    // one process better-sqlite3 waits for a lock synchronously (two processes would each wait
    // their turn on the file lock instead).
    const other = dialect === 'postgres' ? await models.open() : db;
    await randomWorkflow(store, { seed: 4, enterprises: 10, rounds: 2, steps: 60, clock });
    // No leader lock between them: the checkpoint's compare-and-set lets exactly one commit each page.
    run({ projection: countingProjection, lock: new LocalLock() });
    run({ projection: countingProjection, db: other, lock: new LocalLock() });
    await randomWorkflow(store, { seed: 5, enterprises: 10, rounds: 2, steps: 60, clock });
    await caughtUp('event-counts');
    const all = (await store.readAll({ limit: 10_000, filter: { types: countingProjection.handles } }))
      .events;
    const counted = (await rows('event_counts' as ProjectionTableName)).reduce(
      (n, r) => n + Number(r.applied),
      0,
    );
    expect(counted).toBe(all.length);
  });

  it('rebuilds into shadow tables while the old ones are served, switches atomically, and the live runner follows', async () => {
    await randomWorkflow(store, { seed: 6, enterprises: 8, rounds: 2, steps: 80, clock });
    run({ projection: applicationsProjection });
    await caughtUp('applications');
    const before = await rows('applications');
    const served: number[] = [];
    const result = await rebuildProjection({
      store,
      db,
      projection: applicationsProjection,
      batchSize: 25,
      onProgress: () => {
        // While the shadow fills, queries still see the old generation.
        void rows('applications').then((r) => served.push(r.length));
      },
    });
    expect(result).toMatchObject({ projection: 'applications', generation: 2, replaced: 1 });
    expect(served.length).toBeGreaterThan(2);
    expect(served.every((n) => n === before.length)).toBe(true);
    expect(await rows('applications')).toEqual(before);
    const generations = await listGenerations(db.reader, 'applications');
    expect(generations.map((g) => [g.generation, g.state])).toEqual([[2, 'active']]);
    // Only this test's schema: other suites' schemas in the same PostgreSQL database have their own.
    const tables = (await db.reader.introspection.getTables()).filter(
      (t) => !db.postgres || t.schema === db.postgres.schema,
    );
    expect(tables.map((t) => t.name)).not.toContain(physicalTable('applications', 1));
    // The live runner notices the switch and carries on in the new generation.
    await randomWorkflow(store, { seed: 7, enterprises: 3, rounds: 1, steps: 30, clock });
    await caughtUp('applications');
    expect((await rows('applications')).length).toBeGreaterThan(before.length);
    expect((await activeGeneration(db.reader, 'applications'))!.generation).toBe(2);
  });

  it('rebuilds by itself, serving the old tables meanwhile, when the code’s version is newer', async () => {
    await randomWorkflow(store, { seed: 8, enterprises: 5, rounds: 2, steps: 40, clock });
    const v1 = run({ projection: applicationsProjection });
    await caughtUp('applications');
    const before = await rows('applications');
    await v1.stop();
    run({ projection: { ...applicationsProjection, version: 2 } });
    await waitFor(
      'version 2',
      async () => (await activeGeneration(db.reader, 'applications'))?.version === 2,
    );
    await caughtUp('applications');
    expect(await rows('applications')).toEqual(before);
  });

  if (dialect === 'postgres') {
    it('runs each projection on one replica only, and another takes over when the holder dies', async () => {
      const replica = await models.open();
      const key = `${db.postgres!.schema}:event-counts`;
      const lockA = new PostgresAdvisoryLock(PG_URL, LOCK_CLASS_PROJECTION, key, 100);
      const lockB = new PostgresAdvisoryLock(PG_URL, LOCK_CLASS_PROJECTION, key, 100);
      // Counts B's refused attempts, so the test can await one rather than sleep.
      let refusedB = 0;
      const tryB = lockB.tryAcquire.bind(lockB);
      lockB.tryAcquire = async () => {
        const got = await tryB();
        if (!got) refusedB++;
        return got;
      };
      const a = run({ projection: countingProjection, lock: lockA });
      await waitFor('a to lead', async () => a.leading);
      const b = run({ projection: countingProjection, db: replica, lock: lockB });
      await randomWorkflow(store, { seed: 9, enterprises: 5, rounds: 1, steps: 20, clock });
      await caughtUp('event-counts');
      expect(a.leading).toBe(true);
      expect(b.leading).toBe(false);
      expect(b.position).toBeUndefined();

      // A dies without unlocking: first its process stops (the session, and so the lock, lives on)...
      lockA.release = async () => undefined;
      await a.stop();
      const refusedBefore = refusedB;
      await waitFor('b to try the lock after a stopped', async () => refusedB > refusedBefore);
      expect(b.leading).toBe(false);
      // ...then the server notices the session is gone and releases the lock.
      await lockA.simulateCrash();
      await waitFor('b to take over', async () => b.leading);
      await randomWorkflow(store, { seed: 10, enterprises: 5, rounds: 1, steps: 20, clock });
      await caughtUp('event-counts', replica);
      expect(b.position).toBe(await store.headPosition());
      const all = (await store.readAll({ limit: 10_000, filter: { types: countingProjection.handles } }))
        .events;
      const counted = (await rows('event_counts' as ProjectionTableName)).reduce(
        (n, r) => n + Number(r.applied),
        0,
      );
      expect(counted).toBe(all.length);
    });
  }

  it('knows every projection the engine runs', () => {
    expect(PROJECTIONS.map((p) => p.name)).toEqual([
      'applications',
      'enterprises',
      'rounds',
      'timeline',
      'timers',
      'memberships',
      'assignments',
    ]);
  });
});
