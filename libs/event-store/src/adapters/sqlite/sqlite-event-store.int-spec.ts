import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreConformance, testEvent } from '../../conformance/event-store.conformance';
import { EventStore } from '../../event-store';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'es-sqlite-'));
const file = join(dir, 'events.sqlite');

describeEventStoreConformance('sqlite', {
  async open({ now, upcasters, maxEventBytes }) {
    return new EventStore(new SqliteEventStore({ file, now }), {
      upcasters,
      limits: maxEventBytes ? { maxEventBytes } : undefined,
    });
  },
  async reset() {
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  },
  async dispose() {
    rmSync(dir, { recursive: true, force: true });
  },
});

describe('sqlite event store: the file itself', () => {
  const now = () => new Date('2026-05-01T00:00:00.000Z');
  let folder: string;
  let path: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'es-sqlite-file-'));
    path = join(folder, 'events.sqlite');
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('is durable by default: WAL journal with synchronous=FULL', async () => {
    const store = new SqliteEventStore({ file: path, now });
    await store.close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // synchronous is per connection; check the store's own connection setting through a fresh open.
    const again = new SqliteEventStore({ file: path, now });
    expect((again as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(
      2,
    );
    await again.close();
  });

  it('finds exactly the event whose bytes were changed in the file', async () => {
    const store = new EventStore(new SqliteEventStore({ file: path, now }));
    for (let i = 0; i < 20; i++) {
      await store.append(
        `application-${i % 4}`,
        [testEvent('ApplicationSubmitted', { enterprise: `企业-${i}-marker-${1000 + i}` })],
        'any',
      );
    }
    const target = (await store.readAll({ limit: 100 })).events.find(
      (e) => (e.data as { enterprise: string }).enterprise === '企业-13-marker-1013',
    )!;
    expect((await store.verify()).ok).toBe(true);
    await store.close(); // checkpoints the WAL into the main file

    // Flip one byte of that event's data in the database file itself, as an attacker with disk access would.
    const bytes = readFileSync(path);
    const at = bytes.indexOf(Buffer.from('marker-1013'));
    expect(at).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from('marker-1013'), at + 1)).toBe(-1);
    bytes[at + 'marker-101'.length] = '4'.charCodeAt(0); // marker-1013 -> marker-1014
    writeFileSync(path, bytes);

    const reopened = new EventStore(new SqliteEventStore({ file: path, now }));
    const result = await reopened.verify();
    await reopened.close();
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toEqual({
      stream: target.stream,
      revision: target.revision,
      reason: 'hash-mismatch',
    });
  });

  it('reads lean pages for rebuilds: the same events, metadata cut to occurredAt, other types skipped', async () => {
    const store = new EventStore(new SqliteEventStore({ file: path, now }));
    for (let i = 0; i < 12; i++) {
      await store.append(`s-${i % 3}`, [testEvent(i % 4 === 0 ? 'Other' : 'Kept', { i })], 'any');
    }
    const whole = await store.readAll({ limit: 5 });
    const lean = await store.readAll({ limit: 5, lean: { types: ['Kept'] } });
    // The page covers the same stretch of the log, whatever it skipped.
    expect(lean.next).toBe(whole.next);
    expect(lean.isEnd).toBe(whole.isEnd);
    expect(lean.events).toEqual(
      whole.events
        .filter((e) => e.type === 'Kept')
        .map((e) => ({ ...e, id: '', hash: '', metadata: { occurredAt: e.metadata.occurredAt } })),
    );
    const rest = await store.readAll({ after: lean.next, limit: 100, lean: { types: ['Kept'] } });
    expect(rest.isEnd).toBe(true);
    expect(rest.events.map((e) => (e.data as { i: number }).i)).toEqual([5, 6, 7, 9, 10, 11]);
    await store.close();
  });

  it('commits concurrent appends in shared transactions (group commit), answering each caller', async () => {
    const backend = new SqliteEventStore({ file: path, now });
    const store = new EventStore(backend);
    const commits: number[] = [];
    backend.onAppended(() => commits.push(1));
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) => store.append(`s-${i}`, [testEvent('E', { i })], 'no-stream')),
    );
    expect(new Set(results.map((r) => r.position)).size).toBe(64);
    expect(commits.length).toBeLessThan(4);
    await store.close();
  });

  it('reads a corrupted row as a break instead of failing the whole verification', async () => {
    const store = new EventStore(new SqliteEventStore({ file: path, now }));
    await store.append('application-x', [testEvent('A', { a: 1 }), testEvent('B', { b: 2 })], 'no-stream');
    await store.close();
    const db = new Database(path);
    db.prepare(`UPDATE events SET data = '{"b":' WHERE revision = 1`).run();
    db.close();
    const reopened = new EventStore(new SqliteEventStore({ file: path, now }));
    expect(await reopened.verify()).toMatchObject({
      ok: false,
      firstBreak: { stream: 'application-x', revision: 1, reason: 'unreadable' },
    });
    await reopened.close();
  });
});
