/**
 * The behaviour every event store adapter must have, as one Jest suite. Each adapter's
 * *.int-spec.ts calls {@link describeEventStoreConformance} with a harness that opens its
 * store on real storage; the tests never look behind the port.
 */
import { randomUUID } from 'node:crypto';
import {
  IdempotencyConflictError,
  InvalidEventError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type { NewEvent, StoredEvent } from '../event-store.port';
import { EventStore } from '../event-store';
import { UpcasterRegistry } from '../upcasting';

export interface ConformanceHarness {
  /**
   * Opens a store on the harness's storage. Opening again after `close()` must see the same
   * data: that is how a process restart is simulated.
   */
  open(options: {
    now: () => Date;
    upcasters?: UpcasterRegistry;
    maxEventBytes?: number;
  }): Promise<EventStore>;
  /** Makes the storage empty (called before each test). */
  reset(): Promise<void>;
  /** Releases everything (called once at the end). */
  dispose?(): Promise<void>;
  /**
   * Whether an event id is unique across the whole store (SQLite, PostgreSQL) or only checked
   * within its stream (KurrentDB has no index by event id). The engine never reuses an id
   * across streams: derived ids include the stream name, all others are random UUIDs.
   */
  globallyUniqueEventIds?: boolean;
}

export function testEvent(type: string, data: unknown, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    type,
    data,
    metadata: {
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { sub: 'officer-1', role: 'officer' },
      occurredAt: '2026-01-05T08:00:00.000Z',
    },
    ...extra,
  };
}

export function describeEventStoreConformance(adapter: string, harness: ConformanceHarness): void {
  describe(`event store conformance: ${adapter}`, () => {
    let clock: Date;
    const now = () => clock;
    let store: EventStore;
    // Each test uses its own stream names so that a shared store would not hide a bug.
    let ns: string;

    beforeEach(async () => {
      clock = new Date('2026-01-05T08:00:00.000Z');
      await harness.reset();
      store = await harness.open({ now });
      ns = `t${randomUUID().slice(0, 8)}`;
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await harness.dispose?.();
    });

    it('assigns contiguous revisions per stream and one increasing position across streams', async () => {
      const a = `${ns}-application-a`;
      const b = `${ns}-application-b`;
      const r1 = await store.append(a, [testEvent('ApplicationCreated', { n: 1 })], 'no-stream');
      const r2 = await store.append(b, [testEvent('ApplicationCreated', { n: 2 })], 'no-stream');
      const r3 = await store.append(
        a,
        [testEvent('ApplicationSubmitted', { n: 3 }), testEvent('ApplicationReturned', { n: 4 })],
        0,
      );
      expect([r1.nextRevision, r2.nextRevision, r3.nextRevision]).toEqual([0, 0, 2]);
      expect(r1.position).toBeLessThan(r2.position);
      expect(r2.position).toBeLessThan(r3.position);

      const streamA = await store.readStream(a);
      expect(streamA.map((e) => [e.revision, e.type])).toEqual([
        [0, 'ApplicationCreated'],
        [1, 'ApplicationSubmitted'],
        [2, 'ApplicationReturned'],
      ]);
      const all = await store.readAll({ limit: 100, filter: { streamPrefixes: [ns] } });
      expect(all.events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
      const positions = all.events.map((e) => e.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(4);
    });

    it('answers a stream tip (revision and id of its last event) where the adapter reads tips', async () => {
      if (!store.readsStreamTips) {
        await expect(store.streamTip(`${ns}-application-a`)).rejects.toThrow(/does not read stream tips/);
        return;
      }
      const a = `${ns}-application-a`;
      expect(await store.streamTip(a)).toBeUndefined();
      await store.append(a, [testEvent('ApplicationCreated', { n: 1 })], 'no-stream');
      const second = testEvent('ApplicationSubmitted', { n: 2 }, { id: randomUUID() });
      await store.append(a, [second], 0);
      await store.append(`${ns}-application-b`, [testEvent('ApplicationCreated', { n: 3 })], 'no-stream');
      expect(await store.streamTip(a)).toEqual({ revision: 1, id: second.id });
      const [last] = await store.readStream(a, { fromRevision: 1 });
      expect(last.id).toBe(second.id);
    });

    it('stores id, type, schema version, data, metadata with recordedAt, and a hash', async () => {
      const id = randomUUID();
      clock = new Date('2026-02-01T01:02:03.004Z');
      await store.append(
        `${ns}-s`,
        [testEvent('RoundOpened', { quota: 177 }, { id, schemaVersion: 3 })],
        'any',
      );
      const [event] = await store.readStream(`${ns}-s`);
      expect(event).toMatchObject({
        id,
        stream: `${ns}-s`,
        revision: 0,
        type: 'RoundOpened',
        schemaVersion: 3,
        data: { quota: 177 },
        metadata: {
          correlationId: 'corr-1',
          causationId: 'cause-1',
          actor: { sub: 'officer-1', role: 'officer' },
          occurredAt: '2026-01-05T08:00:00.000Z',
          recordedAt: '2026-02-01T01:02:03.004Z',
        },
      });
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a wrong expectation with the actual revision and writes nothing', async () => {
      const s = `${ns}-s`;
      await expect(store.append(s, [testEvent('X', {})], 0)).rejects.toMatchObject({
        constructor: WrongExpectedRevisionError,
        actual: -1,
      });
      await store.append(s, [testEvent('X', {}), testEvent('X', {})], 'no-stream');
      await expect(store.append(s, [testEvent('X', {})], 'no-stream')).rejects.toMatchObject({ actual: 1 });
      await expect(store.append(s, [testEvent('X', {})], 0)).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_REVISION',
        stream: s,
        expected: 0,
        actual: 1,
      });
      expect(await store.readStream(s)).toHaveLength(2);
      await expect(store.append(s, [testEvent('X', {})], 'any')).resolves.toMatchObject({ nextRevision: 2 });
    });

    it('lets exactly one of 50 concurrent appenders win each revision: no gaps, no duplicates', async () => {
      const s = `${ns}-race`;
      await store.append(s, [testEvent('Created', {})], 'no-stream');
      const first = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => store.append(s, [testEvent('Reviewed', { by: i })], 0)),
      );
      expect(first.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of first.filter((r) => r.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((r as PromiseRejectedResult).reason.actual).toBe(1);
      }

      // Now 50 appenders that reload and retry until they win: each lands exactly once.
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          for (;;) {
            const events = await store.readStream(s);
            try {
              await store.append(s, [testEvent('Scored', { by: i })], events[events.length - 1].revision);
              return;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
            }
          }
        }),
      );
      const events = await store.readStream(s);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 52 }, (_, i) => i));
      const scorers = events.filter((e) => e.type === 'Scored').map((e) => (e.data as { by: number }).by);
      expect(scorers.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });

    it('treats a repeated append with the same event ids as a retry: same result, nothing written', async () => {
      const s = `${ns}-idem`;
      const events = [
        testEvent('A', { n: 1 }, { id: randomUUID() }),
        testEvent('B', { n: 2 }, { id: randomUUID() }),
      ];
      const first = await store.append(s, events, 'no-stream');
      // The retry's expectation is stale by now; it must still be recognised.
      const again = await store.append(s, events, 'no-stream');
      expect(again).toEqual(first);
      expect(await store.readStream(s)).toHaveLength(2);
      // Reusing one id with other content, or in another stream, is not a retry.
      await expect(
        store.append(s, [testEvent('A', { n: 99 }, { id: events[0].id })], 'any'),
      ).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(store.append(`${ns}-other`, [events[0]], 'any')).rejects.toBeInstanceOf(
        IdempotencyConflictError,
      );
      expect(await store.readStream(s)).toHaveLength(2);
      expect(await store.readStream(`${ns}-other`)).toHaveLength(0);
    });

    it('reads a stream as it stood at an instant (as-of)', async () => {
      const s = `${ns}-asof`;
      clock = new Date('2026-03-01T00:00:00.000Z');
      await store.append(s, [testEvent('Submitted', {})], 'no-stream');
      clock = new Date('2026-03-02T00:00:00.000Z');
      await store.append(s, [testEvent('Recommended', {})], 0);
      clock = new Date('2026-03-03T00:00:00.000Z');
      await store.append(s, [testEvent('Passed', {})], 1);

      const types = async (until: string) => (await store.readStream(s, { until })).map((e) => e.type);
      expect(await types('2026-02-28T23:59:59.999Z')).toEqual([]);
      expect(await types('2026-03-01T00:00:00.000Z')).toEqual(['Submitted']);
      expect(await types('2026-03-02T12:00:00+08:00')).toEqual(['Submitted', 'Recommended']);
      expect(await types('2026-03-04T00:00:00Z')).toEqual(['Submitted', 'Recommended', 'Passed']);
      const slice = await store.readStream(s, { fromRevision: 1, toRevision: 1 });
      expect(slice.map((e) => e.type)).toEqual(['Recommended']);
    });

    it('pages through readAll in one order and filters by type and stream prefix', async () => {
      for (let i = 0; i < 25; i++) {
        await store.append(
          `${ns}-${i % 2 ? 'round' : 'application'}-${i}`,
          [testEvent(i % 3 ? 'Odd' : 'Third', { i })],
          'no-stream',
        );
      }
      const seen: number[] = [];
      let after = 0;
      let pages = 0;
      for (;;) {
        const page = await store.readAll({ after, limit: 10, filter: { streamPrefixes: [ns] } });
        seen.push(...page.events.map((e) => (e.data as { i: number }).i));
        pages++;
        if (page.isEnd) break;
        expect(page.next).toBeGreaterThan(after);
        after = page.next;
      }
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(pages).toBeGreaterThanOrEqual(3);

      const thirds = await store.readAll({ limit: 100, filter: { types: ['Third'], streamPrefixes: [ns] } });
      expect(thirds.events.map((e) => (e.data as { i: number }).i)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
      const rounds = await store.readAll({ limit: 100, filter: { streamPrefixes: [`${ns}-round-`] } });
      expect(rounds.events).toHaveLength(12);
      expect(rounds.events.every((e) => e.stream.startsWith(`${ns}-round-`))).toBe(true);
    });

    it('filters readAll by actor and by recording time, [from, before), in position order', async () => {
      const by = (sub: string) => ({
        metadata: { ...testEvent('X', {}).metadata, actor: { sub, role: 'officer' } },
      });
      const at = ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'];
      for (let i = 0; i < 6; i++) {
        clock = new Date(at[i % 3]);
        await store.append(
          `${ns}-f-${i}`,
          [testEvent('Filtered', { i }, by(i % 2 ? 'alice' : 'bob'))],
          'no-stream',
        );
      }
      const read = async (filter: object) =>
        (await store.readAll({ limit: 100, filter: { streamPrefixes: [ns], ...filter } })).events.map(
          (e) => (e.data as { i: number }).i,
        );
      expect(await read({ actor: 'alice' })).toEqual([1, 3, 5]);
      expect(await read({ actor: 'nobody' })).toEqual([]);
      expect(await read({ recordedFrom: at[1] })).toEqual([1, 2, 4, 5]);
      expect(await read({ recordedBefore: at[1] })).toEqual([0, 3]);
      // Any ISO form of the instant; the upper bound is exclusive.
      expect(await read({ recordedFrom: '2026-03-02T08:00:00+08:00', recordedBefore: at[2] })).toEqual([
        1, 4,
      ]);
      expect(await read({ actor: 'bob', recordedFrom: at[1] })).toEqual([2, 4]);
    });

    it('resumes a subscription from its checkpoint after a restart: every later event, nothing before', async () => {
      const s = `${ns}-sub`;
      for (let i = 0; i < 5; i++)
        await store.append(s, [testEvent('E', { i })], i === 0 ? 'no-stream' : i - 1);
      const start =
        (await store.readAll({ limit: 1, filter: { streamPrefixes: [ns] } })).events[0].position - 1;

      const firstRun: number[] = [];
      let checkpoint = start;
      const sub = store.subscribe('test', {
        after: start,
        filter: { streamPrefixes: [ns] },
        pollIntervalMs: 20,
        handler: async (event) => {
          firstRun.push((event.data as { i: number }).i);
          checkpoint = event.position; // stored "with the effects"
        },
      });
      await sub.caughtUp();
      // Live: an event appended while subscribed arrives too.
      await store.append(s, [testEvent('E', { i: 5 })], 4);
      await sub.caughtUp();
      await sub.stop();
      expect(firstRun).toEqual([0, 1, 2, 3, 4, 5]);

      // The process dies; events are written while the subscriber is down.
      await store.close();
      store = await harness.open({ now });
      await store.append(s, [testEvent('E', { i: 6 }), testEvent('E', { i: 7 })], 5);

      const secondRun: number[] = [];
      const resumed = store.subscribe('test', {
        after: checkpoint,
        filter: { streamPrefixes: [ns] },
        pollIntervalMs: 20,
        handler: async (event) => {
          secondRun.push((event.data as { i: number }).i);
        },
      });
      await resumed.caughtUp();
      await store.append(s, [testEvent('E', { i: 8 })], 7);
      await resumed.caughtUp();
      await resumed.stop();
      expect(secondRun).toEqual([6, 7, 8]);
    });

    it('retries a failing subscriber on the same event instead of skipping it', async () => {
      const s = `${ns}-retry`;
      await store.append(s, [testEvent('E', { i: 0 }), testEvent('E', { i: 1 })], 'no-stream');
      const handled: number[] = [];
      const errors: number[] = [];
      let failuresLeft = 2;
      const sub = store.subscribe('flaky', {
        after: 0,
        filter: { streamPrefixes: [ns] },
        retryBaseMs: 1,
        handler: async (event) => {
          const i = (event.data as { i: number }).i;
          if (i === 1 && failuresLeft-- > 0) throw new Error('transient');
          handled.push(i);
        },
        onError: (_error, _event, attempt) => errors.push(attempt),
      });
      await sub.caughtUp();
      await sub.stop();
      expect(handled).toEqual([0, 1]);
      expect(errors).toEqual([1, 2]);
    });

    it('round-trips a 500 KiB payload and Chinese text byte for byte', async () => {
      const s = `${ns}-big`;
      const name = '无锡高新区雏鹰企业·瞪羚企业·准独角兽企业（拟入库）「𠮷」';
      const blob = '专精特新'.repeat((128 * 1024) / 3); // ~500 KiB of UTF-8
      await store.append(s, [testEvent('Big', { name, blob })], 'no-stream');
      const [event] = await store.readStream<{ name: string; blob: string }>(s);
      expect(Buffer.from(event.data.name, 'utf8').equals(Buffer.from(name, 'utf8'))).toBe(true);
      expect(event.data.blob.length).toBe(blob.length);
      expect(event.data.blob === blob).toBe(true);
      expect(Buffer.byteLength(event.data.blob)).toBeGreaterThan(500 * 1024);
    });

    it('refuses bad input with a typed error and leaves the stream untouched', async () => {
      const s = `${ns}-bad`;
      await store.append(s, [testEvent('Ok', {})], 'no-stream');
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const bad: unknown[] = [
        { n: BigInt(1) },
        { f: () => 1 },
        { u: undefined },
        { n: Number.NaN },
        { n: Number.POSITIVE_INFINITY },
        circular,
        { d: new Date() },
      ];
      for (const data of bad) {
        await expect(store.append(s, [testEvent('Ok', data)], 0)).rejects.toBeInstanceOf(InvalidEventError);
      }
      await expect(store.append(s, [testEvent('', {})], 0)).rejects.toMatchObject({ field: 'type' });
      await expect(store.append(s, [testEvent('Ok', {}), testEvent('  ', {})], 0)).rejects.toBeInstanceOf(
        InvalidEventError,
      );
      await expect(store.append(s, [], 0)).rejects.toBeInstanceOf(InvalidEventError);
      await expect(store.append(s, [testEvent('Ok', {})], -3)).rejects.toBeInstanceOf(InvalidEventError);
      expect(await store.readStream(s)).toHaveLength(1);

      await store.close();
      store = await harness.open({ now, maxEventBytes: 1024 });
      await expect(store.append(s, [testEvent('Ok', { text: 'x'.repeat(2000) })], 0)).rejects.toMatchObject({
        code: 'INVALID_EVENT',
        field: 'data',
      });
      expect(await store.readStream(s)).toHaveLength(1);
    });

    it('chains hashes so that the verifier accepts an untouched store', async () => {
      for (let i = 0; i < 10; i++)
        await store.append(`${ns}-${i % 3}`, [testEvent('E', { i, 名称: '瞪羚' })], 'any');
      const result = await store.verify();
      expect(result.ok).toBe(true);
      expect(result.events).toBeGreaterThanOrEqual(10);
      expect(result.firstBreak).toBeUndefined();
      const events = await store.readStream(`${ns}-0`);
      expect(new Set(events.map((e) => e.hash)).size).toBe(events.length);
    });

    it('reads a stored v1 event as v2 through an upcaster, leaving the stored event and its hash alone', async () => {
      const s = `${ns}-up`;
      await store.append(
        s,
        [testEvent('ApplicationSubmitted', { revenue: 1_000_000 }, { schemaVersion: 1 })],
        'no-stream',
      );
      const [stored] = await store.readStream(s);
      await store.close();
      const upcasters = new UpcasterRegistry().register('ApplicationSubmitted', 1, (data) => ({
        financials: [{ revenue: (data as { revenue: number }).revenue }],
      }));
      store = await harness.open({ now, upcasters });
      const [read] = await store.readStream<{ financials: { revenue: number }[] }>(s);
      expect(read.schemaVersion).toBe(2);
      expect(read.data).toEqual({ financials: [{ revenue: 1_000_000 }] });
      expect(read.hash).toBe(stored.hash);
      const viaAll = (await store.readAll({ limit: 10, filter: { streamPrefixes: [ns] } }))
        .events as StoredEvent[];
      expect(viaAll[0].schemaVersion).toBe(2);
      expect((await store.verify()).ok).toBe(true);
    });
  });
}
