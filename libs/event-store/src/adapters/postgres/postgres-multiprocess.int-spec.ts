/**
 * Eight OS processes append concurrently to their own and to shared streams while this process
 * subscribes and walks readAll. Every reader must see every event exactly once, in strictly
 * increasing positions, with each stream's revisions contiguous and its hash chain intact.
 */
import { fork, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Pool } from 'pg';
import { EventStore } from '../../event-store';
import type { ReadAllFilter, StoredEvent, Subscription } from '../../event-store.port';
import { migrate } from './postgres-migrations';
import { PostgresEventStore } from './postgres-event-store';

const url = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `es_test_mp_${randomBytes(5).toString('hex')}`;
const root = join(__dirname, '../../../../..');
const workerScript = join(root, 'dist/libs/event-store/src/adapters/postgres/test-support/append-worker.js');
const PROCESSES = 8;
const LOOPS = 4;
const APPENDS_PER_LOOP = 40;

interface WorkerReport {
  worker: number;
  written: string[];
  conflicts: number;
  retries: number;
}

/** True when every source file of `dir` has a compiled (or copied) counterpart in dist/ at least as new. */
function distIsCurrent(dir: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!distIsCurrent(path)) return false;
      continue;
    }
    if (/\.(int-)?spec\.ts$/.test(entry.name) || !/\.(ts|js)$/.test(entry.name)) continue;
    const target = join(root, 'dist', relative(root, path)).replace(/\.ts$/, '.js');
    if (!existsSync(target) || statSync(target).mtimeMs < statSync(path).mtimeMs) return false;
  }
  return true;
}

function runWorker(worker: number): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    let report: WorkerReport | undefined;
    let stderr = '';
    const child = fork(workerScript, [], {
      env: {
        ...process.env,
        PG_URL: url,
        ES_SCHEMA: schema,
        WORKER: String(worker),
        LOOPS: String(LOOPS),
        APPENDS_PER_LOOP: String(APPENDS_PER_LOOP),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('message', (message) => (report = message as WorkerReport));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && report) resolve(report);
      else reject(new Error(`worker ${worker} exited with ${code}: ${stderr}`));
    });
  });
}

/** Follows readAll page by page with `next`, the way a poller does, until stopped. */
function walk(store: EventStore, seen: StoredEvent[], limit: number) {
  let stopped = false;
  let after = 0;
  const done = (async () => {
    for (;;) {
      const page = await store.readAll({ after, limit });
      seen.push(...page.events);
      after = page.next;
      if (page.isEnd) {
        if (stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  })();
  return {
    /** Stops after one more read that reaches the end. */
    finish: async () => {
      stopped = true;
      await done;
    },
  };
}

function expectExactlyOnceInOrder(events: StoredEvent[], expectedIds: Set<string>): void {
  const ids = events.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length); // no duplicates
  expect(ids.length).toBe(expectedIds.size); // nothing missing
  for (const id of ids) expect(expectedIds.has(id)).toBe(true);
  for (let i = 1; i < events.length; i++) {
    if (!(events[i].position > events[i - 1].position)) {
      throw new Error(
        `positions not strictly increasing at ${i}: ${events[i - 1].position}, ${events[i].position}`,
      );
    }
  }
}

describe('postgres event store: 8 processes appending at once', () => {
  let admin: Pool;
  let store: EventStore;

  beforeAll(async () => {
    // Child processes cannot load TypeScript: compile the workspace to dist/ (SWC, about a second).
    // Skipped when dist/ already holds this library as it is now: the e2e global setup builds it
    // too, and e2e suites run processes from dist/, so rebuilding under them would pull it away.
    if (!distIsCurrent(join(root, 'libs/event-store/src'))) {
      const build = spawnSync(process.execPath, [join(root, 'scripts/build.js')], {
        cwd: root,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`build failed: ${build.stderr || build.stdout}`);
    }
    admin = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000 });
    await migrate(admin, schema);
    store = new EventStore(
      new PostgresEventStore({ connectionString: url, schema, now: () => new Date(), poolSize: 4 }),
    );
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    try {
      await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin?.end();
    }
  });

  it('gives every reader every event exactly once, in one increasing order, streams contiguous', async () => {
    const subscribed = new Map<
      string,
      { events: StoredEvent[]; filter?: ReadAllFilter; sub: Subscription }
    >();
    for (const [name, filter] of [
      ['all', undefined],
      ['shared', { streamPrefixes: ['shared-'] }],
      ['pairs-and-any', { types: ['OwnPair', 'Any'] }],
    ] as const) {
      const events: StoredEvent[] = [];
      const sub = store.subscribe(name, {
        after: 0,
        filter,
        batchSize: 17,
        pollIntervalMs: 20,
        handler: async (event) => {
          events.push(event);
        },
      });
      subscribed.set(name, { events, filter, sub });
    }
    const walked: StoredEvent[] = [];
    const walker = walk(store, walked, 11);

    const reports = await Promise.all(Array.from({ length: PROCESSES }, (_, worker) => runWorker(worker)));

    await walker.finish();
    for (const { sub } of subscribed.values()) {
      await sub.caughtUp();
      await sub.stop();
    }

    const written = new Set(reports.flatMap((report) => report.written));
    const count = reports.reduce((sum, report) => sum + report.written.length, 0);
    expect(written.size).toBe(count);
    const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`);
    expect(Number(rows[0].n)).toBe(count); // retries wrote nothing

    expectExactlyOnceInOrder(walked, written);
    const all = subscribed.get('all')!.events;
    expectExactlyOnceInOrder(all, written);
    expect(all.map((e) => e.id)).toEqual(walked.map((e) => e.id));

    const matching = (filter: ReadAllFilter) =>
      new Set(
        all
          .filter(
            (e) =>
              (!filter.types || filter.types.includes(e.type)) &&
              (!filter.streamPrefixes || filter.streamPrefixes.some((p) => e.stream.startsWith(p))),
          )
          .map((e) => e.id),
      );
    for (const name of ['shared', 'pairs-and-any']) {
      const { events, filter } = subscribed.get(name)!;
      expect(events.length).toBeGreaterThan(0);
      expectExactlyOnceInOrder(events, matching(filter!));
    }

    // In the one total order, each stream's revisions run 0, 1, 2... without gaps.
    const revisions = new Map<string, number>();
    for (const event of all) {
      const expected = (revisions.get(event.stream) ?? -1) + 1;
      if (event.revision !== expected)
        throw new Error(`${event.stream}: revision ${event.revision}, expected ${expected}`);
      revisions.set(event.stream, event.revision);
    }
    expect(revisions.size).toBe(PROCESSES * LOOPS + 3 + 1);
    // Processes really competed for the shared streams, and retries were recognised.
    expect(reports.reduce((sum, report) => sum + report.conflicts, 0)).toBeGreaterThan(0);
    expect(reports.reduce((sum, report) => sum + report.retries, 0)).toBeGreaterThan(0);
    expect(await store.verify()).toMatchObject({ ok: true, events: count });
  }, 60_000);
});
