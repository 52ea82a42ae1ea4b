import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { describeEventStoreConformance, testEvent } from '../../conformance/event-store.conformance';
import { EventStore } from '../../event-store';
import {
  EventStoreUnavailableError,
  IdempotencyConflictError,
  InvalidEventError,
  WrongExpectedRevisionError,
} from '../../event-store.errors';
import type { AppendResult } from '../../event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { LATEST_POSTGRES_SCHEMA_VERSION, migrate, POSTGRES_MIGRATIONS } from './postgres-migrations';

// CI starts PostgreSQL: when it is unreachable these tests fail, they never skip.
const url = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `es_test_${randomBytes(6).toString('hex')}`;
const admin = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000 });

describeEventStoreConformance('postgres', {
  async open({ now, upcasters, maxEventBytes }) {
    return new EventStore(new PostgresEventStore({ connectionString: url, now, schema, poolSize: 4 }), {
      upcasters,
      limits: maxEventBytes ? { maxEventBytes } : undefined,
    });
  },
  async reset() {
    // Dropping the schema means every test also runs the migrations from scratch.
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  },
  async dispose() {
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  },
});

describe('postgres event store: the adapter itself', () => {
  const own = `es_test_${randomBytes(6).toString('hex')}`;
  const now = () => new Date('2026-05-01T00:00:00.000Z');
  const pool = new Pool({ connectionString: url, max: 6, connectionTimeoutMillis: 5000 });
  const opened: EventStore[] = [];
  /** A store on its own connection pool: as far as PostgreSQL can tell, another process. */
  const open = (options: Partial<ConstructorParameters<typeof PostgresEventStore>[0]> = {}) => {
    const backend = new PostgresEventStore({
      connectionString: url,
      now,
      schema: own,
      poolSize: 3,
      ...options,
    });
    const store = new EventStore(backend);
    opened.push(store);
    return { store, backend };
  };
  let ns: string;

  beforeEach(() => {
    ns = `t${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    try {
      await pool.query(`DROP SCHEMA IF EXISTS "${own}" CASCADE`);
    } finally {
      await pool.end();
    }
  });

  it('migrates once when several processes boot together, and refuses a schema newer than the build', async () => {
    const fresh = `es_test_${randomBytes(6).toString('hex')}`;
    const pools = Array.from({ length: 4 }, () => new Pool({ connectionString: url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p, fresh)));
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      expect(results.every((r) => r.to === LATEST_POSTGRES_SCHEMA_VERSION)).toBe(true);
      const { rows } = await pool.query(`SELECT version FROM "${fresh}".schema_migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      expect(await migrate(pools[0], fresh)).toEqual({
        from: LATEST_POSTGRES_SCHEMA_VERSION,
        to: LATEST_POSTGRES_SCHEMA_VERSION,
        applied: [],
      });

      await pool.query(
        `INSERT INTO "${fresh}".schema_migrations (version, name) VALUES (999, 'from the future')`,
      );
      await expect(migrate(pools[0], fresh)).rejects.toThrow(/newer than this build/);
      const store = new EventStore(new PostgresEventStore({ pool: pools[1], now, schema: fresh }));
      await expect(store.append('s', [testEvent('E', {})], 'any')).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
      await store.close();
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('commits concurrent appends in shared transactions (group commit), answering each caller', async () => {
    const { store } = open();
    await store.ping();
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => store.append(`${ns}-${i}`, [testEvent('E', { i })], 'no-stream')),
    );
    expect(new Set(results.map((r) => r.position)).size).toBe(64);
    // Rows written by one transaction share its xmin.
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(DISTINCT xmin::text) AS n FROM "${own}".events WHERE stream LIKE $1`,
      [`${ns}-%`],
    );
    expect(Number(rows[0].n)).toBeLessThan(4);
  });

  it('lets exactly one of two processes win each revision and tells the loser the actual revision', async () => {
    const a = open().store;
    const b = open().store;
    const s = `${ns}-contested`;
    await a.append(s, [testEvent('Created', {})], 'no-stream');
    await b.readStream(s); // both now believe the head is 0
    for (let revision = 0; revision < 20; revision++) {
      const results = await Promise.allSettled([
        a.append(s, [testEvent('ByA', { revision })], revision),
        b.append(s, [testEvent('ByB', { revision })], revision),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect((won[0] as PromiseFulfilledResult<AppendResult>).value.nextRevision).toBe(revision + 1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(lost.reason.actual).toBe(revision + 1);
    }
    const events = await a.readStream(s);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect((await a.verify()).ok).toBe(true);
  });

  it("lands every 'any' append of two processes on one stream, contiguous and chained", async () => {
    const stores = [open().store, open().store];
    const s = `${ns}-any`;
    await Promise.all(
      stores.flatMap((store, k) =>
        Array.from({ length: 40 }, (_, i) => store.append(s, [testEvent('Any', { k, i })], 'any')),
      ),
    );
    const events = await stores[0].readStream(s);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    const positions = events.map((e) => e.position);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect((await stores[1].verify()).ok).toBe(true);
  });

  it('recognises a retry made through another process, and a partial repeat as a conflict', async () => {
    const a = open().store;
    const b = open().store;
    const s = `${ns}-idem`;
    const events = [
      testEvent('A', { n: 1 }, { id: randomUUID() }),
      testEvent('B', { n: 2 }, { id: randomUUID() }),
    ];
    const first = await a.append(s, events, 'no-stream');
    expect(await b.append(s, events, 'no-stream')).toEqual(first);
    expect(await b.append(s, events, 7)).toEqual(first);
    await expect(b.append(s, [events[1], testEvent('C', {})], 'any')).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
    await expect(b.append(s, [events[1], events[0]], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await a.readStream(s)).toHaveLength(2);
  });

  it('never writes a gap or a fork from a stale belief about a stream head', async () => {
    const a = open().store;
    const b = open().store;
    const s = `${ns}-stale`;
    await a.append(s, [testEvent('E', { by: 'a' })], 'no-stream'); // a believes the head is 0
    await b.append(s, [testEvent('E', { by: 'b' })], 'any');
    await b.append(s, [testEvent('E', { by: 'b' })], 'any');
    await a.append(s, [testEvent('E', { by: 'a' })], 'any'); // lands at 3, chained to b's event
    await expect(a.append(s, [testEvent('E', {})], 0)).rejects.toMatchObject({ actual: 3 });
    expect((await a.readStream(s)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect((await a.verify()).ok).toBe(true);

    // The database itself refuses a row that does not chain to the stored previous event.
    const [head] = await a.readStream(s, { fromRevision: 3 });
    const call = (revision: number, previous: string) =>
      pool.query(
        `SELECT "${own}".append_events($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::integer[],
           $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], NULL)`,
        [
          [randomUUID()],
          [s],
          [revision],
          ['E'],
          [1],
          ['{}'],
          ['{}'],
          [now().toISOString()],
          ['f'.repeat(64)],
          [previous],
        ],
      );
    await expect(call(4, 'e'.repeat(64))).rejects.toMatchObject({ code: 'ES409' }); // fork
    await expect(call(5, head.hash)).rejects.toMatchObject({ code: 'ES409' }); // gap
    await expect(call(4, head.hash)).resolves.toBeDefined();
  });

  it('refuses only the append the database refuses; the rest of its batch commits', async () => {
    const { store } = open();
    await store.ping();
    await pool.query(`
      CREATE FUNCTION "${own}".refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'poisoned row'; END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON "${own}".events
        FOR EACH ROW WHEN (NEW.stream LIKE '%-poison') EXECUTE FUNCTION "${own}".refuse_poison();`);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store.append(i === 4 ? `${ns}-poison` : `${ns}-ok-${i}`, [testEvent('E', { i })], 'no-stream'),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(
        results.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')),
      );
      expect((results[4] as PromiseRejectedResult).reason).toBeInstanceOf(EventStoreUnavailableError);
      expect((results[4] as PromiseRejectedResult).reason.message).toMatch(/poisoned row/);
      const page = await store.readAll({ limit: 100, filter: { streamPrefixes: [ns] } });
      expect(page.events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    } finally {
      await pool.query(`DROP TRIGGER refuse_poison ON "${own}".events`);
    }
  });

  it('treats LIKE wildcards in stream prefixes literally', async () => {
    const { store } = open();
    for (const stream of [`${ns}_a%-1`, `${ns}_a%-2`, `${ns}Xab-3`, `${ns}_ab-4`, `${ns}\\a%-5`]) {
      await store.append(stream, [testEvent('E', { stream })], 'no-stream');
    }
    const read = async (prefix: string) =>
      (await store.readAll({ limit: 100, filter: { streamPrefixes: [prefix] } })).events.map((e) => e.stream);
    expect(await read(`${ns}_a%`)).toEqual([`${ns}_a%-1`, `${ns}_a%-2`]);
    expect(await read(`${ns}\\a`)).toEqual([`${ns}\\a%-5`]);
    expect(await read(`${ns}_`)).toEqual([`${ns}_a%-1`, `${ns}_a%-2`, `${ns}_ab-4`]);
  });

  it('pages a filtered readAll past the skipped events and ends at the head', async () => {
    const { store } = open();
    for (let i = 0; i < 6; i++)
      await store.append(`${ns}-${i}`, [testEvent(i === 1 ? 'Rare' : 'Common', {})], 'no-stream');
    const head = await store.headPosition();
    const page = await store.readAll({ limit: 1, filter: { types: ['Rare'], streamPrefixes: [ns] } });
    expect(page.events.map((e) => e.stream)).toEqual([`${ns}-1`]);
    expect(page.isEnd).toBe(page.next >= head);
    const rest = await store.readAll({
      after: page.next,
      limit: 1,
      filter: { types: ['Rare'], streamPrefixes: [ns] },
    });
    expect(rest).toEqual({ events: [], next: head, isEnd: true });
  });

  it('wakes a subscriber in another process through NOTIFY, long before its poll interval', async () => {
    const writer = open().store;
    const reader = open().store;
    const s = `${ns}-notify`;
    await writer.append(s, [testEvent('E', { i: 0 })], 'no-stream');
    // The store calls its listeners once its LISTEN connection is up: the test awaits that.
    const listening = new Promise<void>((resolve) => {
      const off = reader.onAppended(() => (off(), resolve()));
    });
    const got: number[] = [];
    const sub = reader.subscribe('slow-poller', {
      after: await reader.headPosition(),
      pollIntervalMs: 60_000,
      filter: { streamPrefixes: [ns] },
      handler: async (event) => {
        got.push((event.data as { i: number }).i);
      },
    });
    await sub.caughtUp();
    await listening;
    const started = Date.now();
    await writer.append(s, [testEvent('E', { i: 1 })], 0);
    while (got.length === 0 && Date.now() - started < 5000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got).toEqual([1]);
    expect(Date.now() - started).toBeLessThan(2000);
    await sub.stop();
  });

  it('refuses stream names PostgreSQL text cannot hold unchanged', async () => {
    const { store } = open();
    await expect(store.append(`${ns}-\u0000`, [testEvent('E', {})], 'any')).rejects.toMatchObject({
      field: 'stream',
    });
    await expect(store.append(`${ns}-\ud800`, [testEvent('E', {})], 'any')).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    expect(await store.readStream(`${ns}-\u0000`)).toEqual([]);
    await expect(store.append(`${ns}-𠮷`, [testEvent('E', {})], 'any')).resolves.toMatchObject({
      nextRevision: 0,
    });
  });

  it('ends the pool it created on close, and leaves a pool it was given alone', async () => {
    const given = new Pool({ connectionString: url, max: 2 });
    try {
      const store = new EventStore(new PostgresEventStore({ pool: given, now, schema: own }));
      store.subscribe('listener', { after: 0, handler: async () => undefined }); // holds a LISTEN connection
      await store.ping();
      await store.close();
      await expect(given.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
      expect(given.totalCount).toBeLessThanOrEqual(2);
      await expect(store.append('s', [testEvent('E', {})], 'any')).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
    } finally {
      await given.end();
    }
    const { store, backend } = open();
    await store.ping();
    await store.close();
    expect((backend as unknown as { pool: Pool }).pool.ended).toBe(true);
  });
});
