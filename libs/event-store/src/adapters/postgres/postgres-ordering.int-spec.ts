/**
 * A reader polling readAll while writers commit must never miss an event. With positions from
 * a plain sequence that happens as soon as a transaction holding a lower position commits after
 * one holding a higher position (shown first, on a naive table). Our positions are drawn under
 * a lock held until commit, so that interleaving cannot exist: a second writer cannot even get
 * a position while the first is uncommitted (shown next), and under random commit delays from
 * many connections the readers miss nothing (last).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { testEvent } from '../../conformance/event-store.conformance';
import { EventStore } from '../../event-store';
import type { StoredEvent } from '../../event-store.port';
import { canonicalJson, computeEventHash, GENESIS_HASH } from '../../hash-chain';
import { migrate } from './postgres-migrations';
import { PostgresEventStore } from './postgres-event-store';

const url = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `es_test_order_${randomBytes(5).toString('hex')}`;
const now = () => new Date();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once some session of this test's schema waits on a lock (seen in pg_stat_activity). */
async function waitingOnLock(pool: Pool, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND query LIKE $1`,
      [`%${schema}%`],
    );
    if (rows[0].n > 0) return;
    if (Date.now() > deadline) throw new Error('no session waited on the commit-order lock');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Calls the adapter's own write function for a new one-event stream, leaving the commit to the caller. */
async function appendInOpenTransaction(client: PoolClient, stream: string): Promise<number> {
  const id = randomUUID();
  const recordedAt = new Date().toISOString();
  const input = testEvent('Held', { stream });
  const metadata = { ...input.metadata, recordedAt };
  const dataJson = canonicalJson(input.data);
  const hash = computeEventHash({
    previousHash: GENESIS_HASH,
    id,
    stream,
    revision: 0,
    type: 'Held',
    schemaVersion: 1,
    dataJson,
    metadata,
  });
  const { rows } = await client.query<{ first: string }>(
    `SELECT "${schema}".append_events($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::integer[],
       $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], NULL) AS first`,
    [
      [id],
      [stream],
      [0],
      ['Held'],
      [1],
      [dataJson],
      [JSON.stringify(metadata)],
      [recordedAt],
      [hash],
      [GENESIS_HASH],
    ],
  );
  return Number(rows[0].first);
}

/** A poller: follows `next` from page to page, recording what it is given. */
async function poll(store: EventStore, after: number, seen: StoredEvent[], limit = 5): Promise<number> {
  for (;;) {
    const page = await store.readAll({ after, limit });
    seen.push(...page.events);
    after = page.next;
    if (page.isEnd) return after;
  }
}

function settled(promise: Promise<unknown>): () => boolean {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  return () => done;
}

describe('postgres event store: readers never miss an event committed out of order', () => {
  let admin: Pool;
  let store: EventStore;

  beforeAll(async () => {
    admin = new Pool({ connectionString: url, max: 12, connectionTimeoutMillis: 5000 });
    await migrate(admin, schema);
    store = new EventStore(new PostgresEventStore({ connectionString: url, schema, now, poolSize: 4 }));
  });

  afterAll(async () => {
    await store?.close();
    try {
      await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin?.end();
    }
  });

  it('control: with plain sequence positions a poller does skip an event (the hazard these tests detect)', async () => {
    await admin.query(`CREATE TABLE "${schema}".naive (position bigserial PRIMARY KEY, label text NOT NULL)`);
    const t1 = await admin.connect();
    const t2 = await admin.connect();
    try {
      await t1.query('BEGIN');
      await t1.query(`INSERT INTO "${schema}".naive (label) VALUES ('first')`); // position 1
      await t2.query('BEGIN');
      await t2.query(`INSERT INTO "${schema}".naive (label) VALUES ('second')`); // position 2
      await t2.query('COMMIT'); // the higher position commits first
      const read = async (after: number) =>
        (
          await admin.query<{ position: string; label: string }>(
            `SELECT position, label FROM "${schema}".naive WHERE position > $1 ORDER BY position`,
            [after],
          )
        ).rows;
      const first = await read(0);
      expect(first.map((r) => r.label)).toEqual(['second']);
      const checkpoint = Number(first[0].position);
      await t1.query('COMMIT');
      expect(await read(checkpoint)).toEqual([]); // 'first' is behind the checkpoint: lost to this reader
    } finally {
      t1.release();
      t2.release();
    }
  });

  it('cannot give a second writer a position while the first is uncommitted, so commits stay in position order', async () => {
    const checkpoint = await store.headPosition();
    const seen: StoredEvent[] = [];
    const held = await admin.connect();
    try {
      await held.query('BEGIN');
      const heldPosition = await appendInOpenTransaction(held, `held-${randomUUID()}`);
      expect(heldPosition).toBeGreaterThan(checkpoint);

      // A second writer, through the adapter, on another connection.
      const second = store.append(`second-${randomUUID()}`, [testEvent('Second', {})], 'no-stream');
      const secondDone = settled(second);
      // The server itself says the second writer is blocked on the commit-order lock the first holds.
      await waitingOnLock(admin);
      expect(secondDone()).toBe(false); // it is waiting for the first to finish: no out-of-order position

      // Readers see neither; the head has not moved past the open transaction.
      let after = await poll(store, checkpoint, seen);
      expect(seen).toEqual([]);
      expect(after).toBe(checkpoint);

      await held.query('COMMIT');
      const result = await second;
      expect(result.position).toBeGreaterThan(heldPosition);
      after = await poll(store, after, seen);
      expect(seen.map((e) => e.type)).toEqual(['Held', 'Second']);
      expect(seen.map((e) => e.position)).toEqual([heldPosition, result.position]);
    } finally {
      await held.query('ROLLBACK').catch(() => undefined);
      held.release();
    }
  });

  it('misses nothing while many connections commit after random delays and the adapter appends alongside', async () => {
    const start = await store.headPosition();
    const deadline = Date.now() + 2500;
    const committed: string[] = [];

    // Dawdling writers: take a position, then wait 0-15 ms before committing (or rolling back).
    const dawdlers = Array.from({ length: 6 }, async (_, w) => {
      const client = await admin.connect();
      try {
        for (let n = 0; Date.now() < deadline; n++) {
          await client.query('BEGIN');
          const stream = `dawdle-${w}-${n}`;
          await appendInOpenTransaction(client, stream);
          await client.query(`SELECT pg_sleep(${(Math.random() * 0.015).toFixed(4)})`);
          if (n % 7 === 6) {
            await client.query('ROLLBACK'); // a gap in positions, never a hole a reader falls into
          } else {
            await client.query('COMMIT');
            committed.push(stream);
          }
        }
      } finally {
        client.release();
      }
    });
    // Adapter writers (group commit, fast and serialised paths) on two separate pools.
    const stores = [0, 1].map(
      () => new EventStore(new PostgresEventStore({ connectionString: url, schema, now, poolSize: 3 })),
    );
    const adapterWriters = stores.flatMap((writer, s) =>
      Array.from({ length: 8 }, async (_, w) => {
        for (let n = 0; Date.now() < deadline; n++) {
          const stream = `adapter-${s}-${w}-${n}`;
          await writer.append(stream, [testEvent('ViaAdapter', {})], 'no-stream');
          committed.push(stream);
        }
      }),
    );
    // Pollers with small pages, starting at the head as it was.
    const readers = Array.from({ length: 3 }, async (_, r) => {
      const seen: StoredEvent[] = [];
      let after = start;
      while (Date.now() < deadline) {
        after = await poll(store, after, seen, 3 + r * 4);
        await sleep(r);
      }
      return { seen, finish: () => poll(store, after, seen, 50) };
    });

    await Promise.all([...dawdlers, ...adapterWriters]);
    const results = await Promise.all(readers);
    await Promise.all(stores.map((writer) => writer.close()));

    const expected = new Set(committed);
    expect(expected.size).toBeGreaterThan(100);
    for (const { seen, finish } of results) {
      await finish();
      const streams = seen.map((e) => e.stream);
      expect(new Set(streams).size).toBe(streams.length);
      expect(streams.length).toBe(expected.size);
      for (const stream of streams) expect(expected.has(stream)).toBe(true);
      for (let i = 1; i < seen.length; i++) expect(seen[i].position).toBeGreaterThan(seen[i - 1].position);
    }
  }, 30_000);
});
