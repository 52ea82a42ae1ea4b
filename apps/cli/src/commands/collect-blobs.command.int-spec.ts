import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { collectOrphanBlobs } from '@engine/incubation';
import { type AppConfig, loadConfig, SystemClock } from '@engine/platform';
import { type BlobStore, DiskBlobStore, PostgresBlobStore } from '@engine/platform/blob-store';
import { collectBlobsCommand } from './collect-blobs.command';

/**
 * Orphan files: a file is written before the event that names it, so a failed append leaves
 * one nobody references. `collect-blobs` lists them, and with --remove deletes them, once they
 * are older than the grace period; a file some event names (even a removed material's) stays.
 */
const DAY = 86_400_000;
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);

async function* bytes(content: Buffer) {
  yield content;
}

/** Appends MaterialAttached (and, when asked, MaterialRemoved) naming the stored file. */
async function attach(store: EventStore, digest: string, size: number, removed = false) {
  const materialId = randomUUID();
  const metadata = {
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { sub: 'ent-test', role: 'enterprise' },
    occurredAt: new Date().toISOString(),
  };
  await store.append(
    `application-${randomUUID()}`,
    [
      {
        type: 'MaterialAttached',
        data: {
          materialId,
          kind: 'business-licence',
          fileName: '营业执照.pdf',
          mediaType: 'application/pdf',
          size,
          sha256: digest,
        },
        metadata,
      },
      ...(removed ? [{ type: 'MaterialRemoved', data: { materialId }, metadata }] : []),
    ],
    'no-stream',
  );
}

/** Three files: one an event names, one orphan put two days ago, one orphan put just now. */
async function scene(
  store: EventStore,
  blobs: BlobStore,
  backdate: (digest: string, at: Date) => Promise<void>,
) {
  const named = pdf();
  const old = pdf();
  const fresh = pdf();
  const removedMaterial = pdf();
  const put = async (content: Buffer) => (await blobs.put(bytes(content))).digest;
  const ids = {
    named: await put(named),
    old: await put(old),
    fresh: await put(fresh),
    removed: await put(removedMaterial),
  };
  await attach(store, ids.named, named.length);
  await attach(store, ids.removed, removedMaterial.length, true);
  const twoDaysAgo = new Date(Date.now() - 2 * DAY);
  for (const digest of [ids.named, ids.old, ids.removed]) await backdate(digest, twoDaysAgo);
  return ids;
}

describe('collect-blobs (CLI) on the disk store', () => {
  let dataDir: string;
  let config: AppConfig;
  let ids: Awaited<ReturnType<typeof scene>>;
  const blobPath = (digest: string) => join(dataDir, 'blobs', 'sha256', digest.slice(0, 2), digest);
  const locale = process.env.LC_ALL;

  beforeAll(async () => {
    process.env.LC_ALL = 'en_US.UTF-8'; // the assertions read the English wording
    dataDir = mkdtempSync(join(tmpdir(), 'cli-collect-blobs-'));
    config = loadConfig({ DATA_DIR: dataDir });
    const store = new EventStore(createEventStoreBackend(config, new SystemClock()));
    const blobs = new DiskBlobStore({ directory: join(dataDir, 'blobs') });
    try {
      ids = await scene(store, blobs, async (digest, at) => utimesSync(blobPath(digest), at, at));
    } finally {
      await store.close();
    }
  });
  afterAll(() => {
    process.env.LC_ALL = locale;
    if (locale === undefined) delete process.env.LC_ALL;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      const code = await collectBlobsCommand.run(args, config);
      return { code, out: lines.join('\n') };
    } finally {
      log.mockRestore();
    }
  }

  it('lists the unreferenced file older than a day, and deletes nothing without --remove', async () => {
    const { code, out } = await run('--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      store: 'disk',
      graceHours: 24,
      blobs: 4,
      referenced: 2,
      young: 1,
      orphans: [{ digest: ids.old, size: 3009 }],
      removed: 0,
    });
    expect(existsSync(blobPath(ids.old))).toBe(true);
  });

  it('with --remove deletes only that one; the named file, a removed material’s and the young one stay', async () => {
    const { code, out } = await run('--remove', '--yes');
    expect(code).toBe(0);
    expect(out).toContain(ids.old);
    expect(out).toContain('1 unreferenced and older than 24 h, 1 removed; 1 unreferenced but younger, kept');
    expect(existsSync(blobPath(ids.old))).toBe(false);
    for (const digest of [ids.named, ids.removed, ids.fresh]) expect(existsSync(blobPath(digest))).toBe(true);
  });

  it('with --grace-hours 0 takes the young orphan too, never a file an event names', async () => {
    expect((await run('--grace-hours', '0', '--remove', '--yes')).code).toBe(0);
    expect(existsSync(blobPath(ids.fresh))).toBe(false);
    expect(existsSync(blobPath(ids.named))).toBe(true);
    expect(existsSync(blobPath(ids.removed))).toBe(true);
  });

  it('refuses a grace period that is not a number of hours (exit 64)', async () => {
    await expect(run('--grace-hours', 'soon')).rejects.toThrow(/--grace-hours/);
  });
});

describe('collecting orphan files on the PostgreSQL store', () => {
  const url = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `collect_test_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: url, max: 2 });
  let dataDir: string;
  let store: EventStore;
  let blobs: PostgresBlobStore;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-collect-pg-'));
    store = new EventStore(createEventStoreBackend(loadConfig({ DATA_DIR: dataDir }), new SystemClock()));
    blobs = new PostgresBlobStore({ connectionString: url, schema });
  });
  afterAll(async () => {
    await Promise.all([store.close(), blobs.close()]);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds and removes the old unreferenced file only', async () => {
    const ids = await scene(store, blobs, async (digest, at) => {
      await admin.query(`UPDATE "${schema}".blobs SET stored_at = $2 WHERE digest = $1`, [digest, at]);
    });
    const found = await collectOrphanBlobs(store.backend, blobs, {
      graceMs: DAY,
      now: new Date(),
      remove: true,
    });
    expect(found).toMatchObject({ blobs: 4, referenced: 2, young: 1, removed: 1 });
    expect(found.orphans.map((o) => o.digest)).toEqual([ids.old]);
    expect(await blobs.stat(ids.old)).toBeNull();
    for (const digest of [ids.named, ids.removed, ids.fresh]) expect(await blobs.stat(digest)).not.toBeNull();
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM "${schema}".blob_chunks WHERE blob = $1`,
      [ids.old],
    );
    expect(rows[0].n).toBe(0);
  });

  it('keeps an old orphan that is put again before it is collected (an upload on its way)', async () => {
    const content = pdf();
    const { digest } = await blobs.put(bytes(content));
    await admin.query(`UPDATE "${schema}".blobs SET stored_at = $2 WHERE digest = $1`, [
      digest,
      new Date(Date.now() - 2 * DAY),
    ]);
    await blobs.put(bytes(content)); // the same bytes uploaded again, their event still to come
    const found = await collectOrphanBlobs(store.backend, blobs, {
      graceMs: DAY,
      now: new Date(),
      remove: true,
    });
    expect(found.orphans.map((o) => o.digest)).not.toContain(digest);
    expect(await blobs.stat(digest)).not.toBeNull();
  });
});
