/**
 * The adapter's own logic on an in-memory test double of the client (kurrentdb-test-double.ts):
 * chaining onto the head it read, races, retries, `$all` paging and start positions, errors.
 * What the double assumes about the server is confirmed only by the live conformance run.
 */
import { randomUUID } from 'node:crypto';
import { NO_STREAM, UnavailableError, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { testEvent } from '../../conformance/event-store.conformance';
import { EventStore } from '../../event-store';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../../event-store.errors';
import { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
import { InMemoryKurrentDB } from './kurrentdb-test-double';

let clock = new Date('2026-03-01T00:00:00.000Z');
const now = () => clock;

function open(db: InMemoryKurrentDB, options: Partial<KurrentDbEventStoreOptions> = {}) {
  const backend = new KurrentDbEventStore({
    client: db.client(),
    now,
    ...options,
  } as KurrentDbEventStoreOptions);
  return { backend, store: new EventStore(backend) };
}

const appendCalls = (db: InMemoryKurrentDB) => db.calls.filter(([method]) => method === 'appendToStream');

beforeEach(() => {
  clock = new Date('2026-03-01T00:00:00.000Z');
});

describe('KurrentDB adapter: appending onto the head it read', () => {
  it('appends with the exact expected revision it read, also when the caller said any', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    await store.append('application-1', [testEvent('A', {})], 'no-stream');
    await store.append('application-1', [testEvent('B', {})], 'any');
    await store.append('application-1', [testEvent('C', {}), testEvent('D', {})], 'any');
    expect(appendCalls(db).map(([, , options]) => (options as { streamState: unknown }).streamState)).toEqual(
      [NO_STREAM, 0n, 1n],
    );
    expect((await store.verify()).ok).toBe(true);
  });

  it('refuses a revision that does not match the head without sending anything', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    await store.append('application-1', [testEvent('A', {})], 'no-stream');
    await expect(store.append('application-1', [testEvent('B', {})], 5)).rejects.toMatchObject({
      constructor: WrongExpectedRevisionError,
      expected: 5,
      actual: 0,
    });
    expect(appendCalls(db)).toHaveLength(1);
  });

  it('answers a lost race with the revision the server reports, and writes nothing', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    const other = open(db).store;
    await store.append('application-1', [testEvent('A', {})], 'no-stream');
    db.beforeAppend = async () => {
      await other.append('application-1', [testEvent('Intruder', {}), testEvent('Intruder', {})], 0);
    };
    await expect(store.append('application-1', [testEvent('B', {})], 0)).rejects.toMatchObject({
      constructor: WrongExpectedRevisionError,
      expected: 0,
      actual: 2,
    });
    expect((await store.readStream('application-1')).map((e) => e.type)).toEqual([
      'A',
      'Intruder',
      'Intruder',
    ]);
  });

  it("retries an 'any' append on the winner's head, so the chain stays intact", async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    const other = open(db).store;
    await store.append('application-1', [testEvent('A', {})], 'no-stream');
    db.beforeAppend = async () => {
      await other.append('application-1', [testEvent('Intruder', {})], 0);
    };
    await expect(store.append('application-1', [testEvent('B', {})], 'any')).resolves.toMatchObject({
      nextRevision: 2,
    });
    expect((await store.readStream('application-1')).map((e) => e.type)).toEqual(['A', 'Intruder', 'B']);
    expect(await store.verify()).toMatchObject({ ok: true, events: 3 });
  });

  it('answers a concurrent copy of the same append (same ids) with the result of the copy that won', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    const other = open(db).store;
    await store.append('application-1', [testEvent('A', {})], 'no-stream');
    const events = [
      testEvent('B', { n: 1 }, { id: randomUUID() }),
      testEvent('C', { n: 2 }, { id: randomUUID() }),
    ];
    let won: unknown;
    db.beforeAppend = async () => {
      won = await other.append('application-1', events, 0);
    };
    const result = await store.append('application-1', events, 0);
    expect(result).toEqual(won);
    expect(await store.readStream('application-1')).toHaveLength(3);
  });

  it('recognises a retry after later appends to the stream, within the window, with a stale expectation', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    const events = [testEvent('A', { n: 1 }, { id: randomUUID() })];
    const first = await store.append('application-1', events, 'no-stream');
    await store.append('application-1', [testEvent('B', {})], 0);
    await store.append('application-1', [testEvent('C', {})], 1);
    await expect(store.append('application-1', events, 'no-stream')).resolves.toEqual(first);
    expect(await store.readStream('application-1')).toHaveLength(3);
  });

  it('refuses to extend a stream whose last event carries no hash (written by another tool)', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    db.write('application-1', 'Imported', { legacy: true }, { source: 'migration' });
    await expect(store.append('application-1', [testEvent('A', {})], 'any')).rejects.toThrow(
      /carries no hash; refusing to extend a broken chain/,
    );
    expect(appendCalls(db)).toHaveLength(0);
  });

  it('calls onAppended listeners after each successful append, until they unsubscribe', async () => {
    const db = new InMemoryKurrentDB();
    const { backend, store } = open(db);
    let calls = 0;
    const unsubscribe = backend.onAppended(() => calls++);
    await store.append('s-1', [testEvent('A', {})], 'no-stream');
    await expect(store.append('s-1', [testEvent('A', {})], 'no-stream')).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(calls).toBe(1);
    unsubscribe();
    await store.append('s-1', [testEvent('A', {})], 0);
    expect(calls).toBe(1);
  });
});

describe('KurrentDB adapter: reading', () => {
  it('reads a stream as of an instant by recordedAt, and a missing stream as empty', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    for (const [day, type] of [
      ['01', 'Submitted'],
      ['02', 'Recommended'],
      ['03', 'Passed'],
    ]) {
      clock = new Date(`2026-03-${day}T00:00:00.000Z`);
      await store.append('application-1', [testEvent(type, {})], 'any');
    }
    const types = async (options: object) =>
      (await store.readStream('application-1', options)).map((e) => e.type);
    expect(await types({ until: '2026-03-02T12:00:00+08:00' })).toEqual(['Submitted', 'Recommended']);
    expect(await types({ until: '2026-02-28T00:00:00Z' })).toEqual([]);
    expect(await types({ fromRevision: 1 })).toEqual(['Recommended', 'Passed']);
    expect(await types({ fromRevision: 1, toRevision: 1 })).toEqual(['Recommended']);
    expect(await types({ fromRevision: 2, toRevision: 1 })).toEqual([]);
    expect(await types({ fromRevision: -3, toRevision: 0 })).toEqual(['Submitted']);
    expect(await store.readStream('application-none')).toEqual([]);
  });

  it("returns only the engine's events from $all and ignores the server's own for the head", async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    for (let i = 0; i < 7; i++) await store.append(`application-${i}`, [testEvent('E', { i })], 'no-stream');
    // The double writes a $ce- link after every event and, after the 7th, a projection result:
    // a user-typed event in a $-stream, which a server-side filter on types cannot drop.
    expect(db.log.slice(-2).map((r) => [r.streamId, r.type])).toEqual([
      ['$ce-application', '$>'],
      ['$projections-dashboard-result', 'Result'],
    ]);

    const page = await store.readAll({ limit: 100 });
    expect(page.events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(page.events.every((e) => !e.stream.startsWith('$') && !e.type.startsWith('$'))).toBe(true);
    expect(await store.headPosition()).toBe(page.events[6].position);
    // `next` is the last position the page looked at: the projection result it skipped.
    expect(page).toMatchObject({ next: Number(db.log[db.log.length - 1].position), isEnd: true });
  });

  it('pages with next and isEnd as the port documents, filtering by type and prefix exactly', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    for (let i = 0; i < 7; i++) {
      await store.append(
        `t1-${i % 2 ? 'round' : 'app'}-${i}`,
        [testEvent(i % 3 ? 'Odd' : 'OddThird', { i })],
        'no-stream',
      );
    }
    await store.append('t2-app-9', [testEvent('Odd', { i: 9 })], 'no-stream');
    const head = await store.headPosition();
    const filter = { types: ['Odd'], streamPrefixes: ['t1-'] };

    const first = await store.readAll({ limit: 2, filter });
    expect(first.events.map((e) => (e.data as { i: number }).i)).toEqual([1, 2]);
    expect(first).toMatchObject({ next: first.events[1].position, isEnd: false });

    const second = await store.readAll({ after: first.next, limit: 10, filter });
    expect(second.events.map((e) => (e.data as { i: number }).i)).toEqual([4, 5]);
    // Short page: it looked up to the head, past the events the filter skipped.
    expect(second).toMatchObject({ next: head, isEnd: true });

    expect(await store.readAll({ after: second.next, limit: 10, filter })).toEqual({
      events: [],
      next: second.next,
      isEnd: true,
    });
  });

  it('reads after a position that is not the start of a record (a checkpoint minus one)', async () => {
    const db = new InMemoryKurrentDB();
    const writer = open(db).store;
    for (let i = 0; i < 5; i++)
      await writer.append('sub-1', [testEvent('E', { i })], i === 0 ? 'no-stream' : i - 1);
    const events = (await writer.readAll({ limit: 10 })).events;

    const fresh = open(db).store; // knows no positions yet
    const page = await fresh.readAll({ after: events[2].position - 1, limit: 10 });
    expect(page.events.map((e) => (e.data as { i: number }).i)).toEqual([2, 3, 4]);
  });

  it("starts exactly at a checkpoint another process stored, without rescanning the log's start", async () => {
    const db = new InMemoryKurrentDB();
    const writer = open(db).store;
    for (let i = 0; i < 5; i++)
      await writer.append('sub-1', [testEvent('E', { i })], i === 0 ? 'no-stream' : i - 1);
    const checkpoint = (await writer.readAll({ limit: 10 })).events[1].position;

    const fresh = open(db).store;
    db.calls.length = 0;
    const page = await fresh.readAll({ after: checkpoint, limit: 10 });
    expect(page.events.map((e) => (e.data as { i: number }).i)).toEqual([2, 3, 4]);
    const starts = db.calls.filter(([method, from]) => method === 'readAll' && from === 'start');
    expect(starts).toEqual([]);
  });
});

describe('KurrentDB adapter: failures', () => {
  it('reports an unreachable server as EventStoreUnavailableError, never as a client error', async () => {
    const db = new InMemoryKurrentDB();
    const { store } = open(db);
    const down = () => new UnavailableError(undefined, 'connect ECONNREFUSED 127.0.0.1:2113');
    db.failures.set('readStream', [down(), down()]);
    db.failures.set('readAll', [down(), down()]);
    for (const attempt of [
      store.append('s-1', [testEvent('A', {})], 'any'),
      store.readStream('s-1'),
      store.readAll({ limit: 1 }),
      store.headPosition(),
    ]) {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    }
  });

  it('fails a ping that gets no answer within its timeout, and any call after close', async () => {
    const silent = {
      readAll: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) }),
      dispose: async () => undefined,
    } as unknown as KurrentDBClient;
    const backend = new KurrentDbEventStore({ client: silent, now, pingTimeoutMs: 30 });
    await expect(backend.ping()).rejects.toThrow(/did not answer within 30 ms/);

    const db = new InMemoryKurrentDB();
    const { backend: healthy } = open(db);
    await expect(healthy.ping()).resolves.toBeUndefined();
    await healthy.close();
    await expect(healthy.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(healthy.readStream('s', {})).rejects.toThrow(/closed/);
    expect(db.disposed).toBe(false); // an injected client belongs to the caller
  });

  it('refuses a bad connection string without quoting it (it may hold credentials)', () => {
    let error: unknown;
    try {
      new KurrentDbEventStore({ connectionString: 'kurrent-db://admin:s3cret@host:2113', now });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).message).not.toMatch(/s3cret/);
  });
});
