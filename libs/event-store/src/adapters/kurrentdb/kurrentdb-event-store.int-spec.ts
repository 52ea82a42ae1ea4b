import { describeEventStoreConformance, testEvent } from '../../conformance/event-store.conformance';
import { EventStore } from '../../event-store';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const url = process.env.KURRENTDB_URL;

if (url) {
  // KurrentDB streams cannot be wiped quickly, so reset() does nothing: every conformance test
  // writes to streams under its own random prefix and filters readAll by that prefix, so a shared,
  // non-empty server does not hide a bug. Two things do see the whole store:
  // - verify() walks all of $all, so it passes only while every non-system event in the server
  //   was written by this adapter (a foreign event is reported as unreadable), and it gets slower
  //   as test runs accumulate; use a throwaway server (the compose service) for this suite;
  // - headPosition() is the whole store's head, which is what subscriptions need anyway.
  //
  // Known deviation (see KurrentDbEventStore, idempotency): reusing an event id in ANOTHER stream
  // is not detected; the harness declares it and the suite reports that one test as skipped.
  describeEventStoreConformance('kurrentdb', {
    globallyUniqueEventIds: false,
    async open({ now, upcasters, maxEventBytes }) {
      return new EventStore(new KurrentDbEventStore({ connectionString: url, now }), {
        upcasters,
        limits: maxEventBytes ? { maxEventBytes } : undefined,
      });
    },
    async reset() {},
  });

  describe('kurrentdb adapter: what the server must do for the adapter to be right', () => {
    const now = () => new Date('2026-05-01T00:00:00.000Z');
    let store: EventStore;
    beforeEach(() => {
      store = new EventStore(new KurrentDbEventStore({ connectionString: url, now }));
    });
    afterEach(async () => {
      await store.close();
    });

    it('answers an append with the position of its last event, as reads report it', async () => {
      const stream = `live${Date.now().toString(36)}-positions`;
      const result = await store.append(
        stream,
        [testEvent('A', { n: 1 }), testEvent('B', { n: 2 }), testEvent('C', { n: 3 })],
        'no-stream',
      );
      const events = await store.readStream(stream);
      expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => a - b));
      expect(new Set(events.map((e) => e.position)).size).toBe(3);
      expect(result).toEqual({ nextRevision: 2, position: events[2].position });
      const viaAll = await store.readAll({ limit: 10, filter: { streamPrefixes: [stream] } });
      expect(viaAll.events.map((e) => e.position)).toEqual(events.map((e) => e.position));
      expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
    });

    it('reads $all after any number, including one that is not the start of a record', async () => {
      const stream = `live${Date.now().toString(36)}-after`;
      await store.append(stream, [testEvent('A', { n: 1 }), testEvent('B', { n: 2 })], 'no-stream');
      const [first, second] = await store.readStream(stream);
      const filter = { streamPrefixes: [stream] };
      for (const after of [first.position - 1, first.position - 7, first.position + 1]) {
        const fresh = new EventStore(new KurrentDbEventStore({ connectionString: url, now }));
        try {
          const page = await fresh.readAll({ after, limit: 10, filter });
          const expected = after < first.position ? [first.id, second.id] : [second.id];
          expect(page.events.map((e) => e.id)).toEqual(expected);
        } finally {
          await fresh.close();
        }
      }
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
} else {
  // No KurrentDB on this machine: the suite is reported as skipped, with the reason in its name.
  describe('event store conformance: kurrentdb', () => {
    it.skip('skipped: no KURRENTDB_URL (start one: docker compose -f docker/compose.yaml up kurrentdb)', () => {
      // Runs the conformance suite when KURRENTDB_URL is set (above).
    });
  });
}
