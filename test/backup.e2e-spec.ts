import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { createBlobStore, loadConfig, type SealedPersonalData } from '@engine/platform';
import { KeyTableVault, ReadModelDatabase } from '@engine/read-models';
import { checkBackup, restoreBackup, takeBackup } from '../apps/cli/src/backup/backup';
import { backupMaterials, restoreMaterials } from '../apps/cli/src/commands/backup-materials';
import { type Harness, startApi } from './support/api-harness';
import { BrowserSession } from './support/browser-session';
import { multipart, samples } from './support/materials';
import { Kit } from './permissions/scenarios';

/**
 * Backups hold everything that cannot be rebuilt (docs/operations.md): a restore into an empty
 * directory must give back readable personal data, not only intact events.
 */
describe('backup and restore of the embedded profile', () => {
  let h: Harness;
  const dirs: string[] = [];
  const tmp = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `backup-${name}-`));
    dirs.push(dir);
    return dir;
  };
  const objector = { name: '李四', idNumber: '11010519491231002X', phone: '13800138000' };
  let backupDir: string;
  const evidence = samples.pdf(3000);
  const evidenceDigest = createHash('sha256').update(evidence).digest('hex');

  beforeAll(async () => {
    h = await startApi({ env: { RATE_LIMIT_STRICT_MAX: '100000' } });
    const f = await new Kit(h).inPublicity();
    // The objection carries an evidence file: the backup must keep it like a material's file.
    const upload = multipart({}, { name: '审计报告第3页.pdf', content: evidence });
    const stored = await h.app.inject({
      method: 'POST',
      url: `/v1/applications/${f.submittedId}/objections/evidence`,
      headers: { 'content-type': upload.contentType },
      payload: upload.body,
    });
    expect(stored.statusCode).toBe(201);
    const raised = await h.request('POST', `/v1/applications/${f.submittedId}/objections`, {
      body: {
        objector,
        grounds: '营业收入数据不实，与审计报告不符',
        evidence: ['2025年度审计报告第3页'],
        evidenceFiles: [{ sha256: evidenceDigest, fileName: '审计报告第3页.pdf' }],
      },
    });
    expect(raised.status).toBe(201);
    const officer = await h.request('POST', '/v1/accounts', {
      as: { sub: 'admin-backup', role: 'admin' },
      body: {
        role: 'officer',
        login: 'officer.backup',
        name: '吴科员',
        jurisdiction: 'js.wuxi',
        password: 'Restore-me-2026!',
      },
    });
    expect(officer.status).toBe(201);
    backupDir = join(tmp('out'), 'nightly');
    // Online: the engine keeps running while the copy is taken.
    await takeBackup(loadConfig({ DATA_DIR: h.dataDir }), backupDir);
    const blobs = createBlobStore(loadConfig({ DATA_DIR: h.dataDir }));
    await backupMaterials(join(backupDir, 'events.sqlite'), blobs).finally(() => blobs.close());
  }, 120_000);
  afterAll(async () => {
    await h.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("restores into an empty directory and reads a sealed objector's name and evidence file back", async () => {
    const target = tmp('restored');
    const config = loadConfig({ DATA_DIR: target });
    const manifest = await restoreBackup(config, backupDir, { force: false });
    expect(manifest.state.rows.pd_keys).toBeGreaterThan(0);

    const store = new EventStore(
      new SqliteEventStore({ file: join(target, 'events.sqlite'), now: () => new Date(), readonly: true }),
    );
    const db = await ReadModelDatabase.open({ dialect: 'sqlite', file: join(target, 'read-models.sqlite') });
    try {
      expect((await store.verify()).ok).toBe(true);
      const { events } = await store.readAll({ limit: 10_000 });
      const raised = events.filter((e) => e.type === 'ObjectionRaised');
      expect(raised).toHaveLength(1);
      const sealed = (raised[0].data as { objector: SealedPersonalData }).objector;
      const opened = await (await KeyTableVault.open(db, config.PII_MASTER_KEY)).open(sealed);
      expect(opened).toMatchObject({ name: objector.name });
      // And the objection's evidence file is back in the restored blob store, intact.
      const blobs = createBlobStore(config);
      try {
        // The sample file every required material of the application shares, and the evidence.
        expect(await restoreMaterials(join(backupDir, 'events.sqlite'), blobs)).toBe(2);
        const chunks: Buffer[] = [];
        for await (const chunk of await blobs.read(evidenceDigest)) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).equals(evidence)).toBe(true);
      } finally {
        await blobs.close();
      }
    } finally {
      await db.close();
      await store.close();
    }
  });

  it('restores the accounts too: an officer signs in to the restored engine with the same password', async () => {
    const target = tmp('accounts');
    const manifest = await restoreBackup(loadConfig({ DATA_DIR: target }), backupDir, { force: false });
    expect(manifest.state.rows.accounts).toBeGreaterThan(0);
    expect(manifest.state.rows.auth_credentials).toBeGreaterThan(0);
    const restored = await startApi({ dataDir: target });
    try {
      const browser = new BrowserSession(restored);
      expect(await browser.signIn('officer.backup', 'Restore-me-2026!')).toMatchObject({
        status: 200,
        body: { role: 'officer', jurisdiction: 'js.wuxi' },
      });
      expect((await browser.signIn('officer.backup', 'wrong-password-2026')).status).toBe(401);
    } finally {
      await restored.close();
    }
  });

  it('refuses a backup whose key table is missing or whose files were altered', async () => {
    // A bare copy of the events (what `backup` used to write) is not a backup.
    const bare = tmp('bare');
    writeFileSync(join(bare, 'events.sqlite'), '');
    await expect(checkBackup(bare)).rejects.toThrow(/manifest/);

    // The key table dropped from the state file: checksum first, then the table itself.
    const damaged = join(tmp('damaged'), 'copy');
    await takeBackup(loadConfig({ DATA_DIR: h.dataDir }), damaged);
    const state = new Database(join(damaged, 'state.sqlite'));
    state.exec('drop table pd_keys');
    state.close();
    await expect(checkBackup(damaged)).rejects.toThrow(/checksum/);
    const manifestFile = join(damaged, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.state.sha256 = createHash('sha256')
      .update(readFileSync(join(damaged, 'state.sqlite')))
      .digest('hex');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    await expect(checkBackup(damaged)).rejects.toThrow(/lacks the table pd_keys/);
    // Nothing was restored from it.
    const target = tmp('refused');
    await expect(
      restoreBackup(loadConfig({ DATA_DIR: target }), damaged, { force: false }),
    ).rejects.toThrow();
    expect(existsSync(join(target, 'events.sqlite'))).toBe(false);
  }, 60_000);
});
