import type { EventStoreBackend, RawStoredEvent, ReadAllOptions } from './event-store.port';
import { readAllFiltered } from './event-store';

const event = (position: number, sub: string, recordedAt: string): RawStoredEvent => ({
  id: `e${position}`,
  stream: `s-${position}`,
  revision: 0,
  position,
  type: 'E',
  schemaVersion: 1,
  data: {},
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    actor: { sub, role: 'officer' },
    occurredAt: recordedAt,
    recordedAt,
  },
  hash: '0'.repeat(64),
});

/** A backend that filters by type and stream only (as KurrentDB does): it never sees the rest. */
function backend(events: RawStoredEvent[]) {
  const asked: ReadAllOptions[] = [];
  const fake = {
    name: 'fake',
    asked,
    async readAll(options: ReadAllOptions) {
      asked.push(options);
      const after = options.after ?? 0;
      const page = events.filter((e) => e.position > after).slice(0, options.limit);
      const last = page.length ? page[page.length - 1].position : after;
      return { events: page, next: last, isEnd: page.length < options.limit };
    },
  };
  return fake as unknown as EventStoreBackend & { asked: ReadAllOptions[] };
}

describe('readAllFiltered on a backend that cannot filter by metadata', () => {
  const events = [
    event(1, 'alice', '2026-03-01T00:00:00.000Z'),
    event(2, 'bob', '2026-03-02T00:00:00.000Z'),
    event(3, 'alice', '2026-03-03T00:00:00.000Z'),
  ];

  it('asks the backend by type and stream only and filters actor and recording time itself', async () => {
    const store = backend(events);
    const page = await readAllFiltered(store, {
      limit: 10,
      filter: { types: ['E'], actor: 'alice', recordedFrom: '2026-03-02T00:00:00Z' },
    });
    expect(page.events.map((e) => e.position)).toEqual([3]);
    expect(store.asked[0].filter).toEqual({ types: ['E'] });
  });

  it('keeps next moving past the events it dropped', async () => {
    const page = await readAllFiltered(backend(events), {
      limit: 2,
      filter: { recordedBefore: '2026-03-01T00:00:00.000Z' },
    });
    expect(page.events).toEqual([]);
    expect(page.next).toBe(2);
    expect(page.isEnd).toBe(false);
  });
});
