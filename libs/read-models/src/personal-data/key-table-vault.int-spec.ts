import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { DEVELOPMENT_PII_MASTER_KEY, type SealedPersonalData } from '@engine/platform';
import type { ReadModelDatabase } from '../database';
import { PROJECTIONS } from '../projections';
import { rebuildProjection } from '../runner/rebuild';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { KeyTableVault, MasterKeyMismatchError, SealedDataCorruptError } from './key-table-vault';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NOW = new Date('2026-06-01T08:00:00.000Z');
const objector = { name: '王小明', idNumber: '11010519491231002X', phone: '13812345678' };

describe.each(['sqlite', 'postgres'] as const)('personal-data vault on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  let vault: KeyTableVault;

  beforeAll(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    vault = await KeyTableVault.open(db, DEVELOPMENT_PII_MASTER_KEY, { now: () => NOW });
  });
  afterAll(() => models.dispose());

  it('opens what it sealed, and nothing of the value is readable in the sealed form or the key table', async () => {
    const subject = vault.subjectFor('id-number', objector.idNumber);
    const sealed = await vault.seal(subject, objector);
    await expect(vault.open(sealed)).resolves.toEqual(objector);
    const text = JSON.stringify(sealed);
    const keys = JSON.stringify(await db.writer.selectFrom('pd_keys').selectAll().execute());
    for (const value of Object.values(objector)) {
      expect(text).not.toContain(value);
      expect(keys).not.toContain(value);
    }
    // The subject reveals nothing: not the ID number, nor any part of it longer than a date.
    expect(subject).not.toContain('19491231');
    expect(subject).toMatch(/^ps1_[\w-]{43}$/);
  });

  it('maps one person to one subject however the identifier is written, and nobody else to it', async () => {
    expect(vault.subjectFor('id-number', ' 11010519491231002x ')).toBe(
      vault.subjectFor('id-number', '11010519491231002X'),
    );
    expect(vault.subjectFor('phone', '+86 138-1234-5678')).toBe(vault.subjectFor('phone', '13812345678'));
    expect(vault.subjectFor('phone', '13812345678')).not.toBe(vault.subjectFor('email', '13812345678'));
    // Another installation (its own key table, its own random subject key) maps the same person
    // to another subject: ids cannot be precomputed, nor matched across installations.
    const elsewhere = testReadModels(dialect, PG_URL);
    try {
      const other = await KeyTableVault.open(await elsewhere.open(), DEVELOPMENT_PII_MASTER_KEY);
      expect(other.subjectFor('id-number', objector.idNumber)).not.toBe(
        vault.subjectFor('id-number', objector.idNumber),
      );
    } finally {
      await elsewhere.dispose();
    }
    // A master key that is neither current nor previous opens nothing of this table.
    await expect(KeyTableVault.open(db, randomBytes(32).toString('base64'))).rejects.toBeInstanceOf(
      MasterKeyMismatchError,
    );
  });

  it('forgets: every earlier seal opens to undefined, on every handle at once, and a tombstone remains', async () => {
    const subject = vault.subjectFor('phone', '13900000001');
    const first = await vault.seal(subject, { name: '李四', phone: '13900000001' });
    const second = await vault.seal(subject, { name: '李四', note: '第二次异议' });
    // Another replica: its own connection, no shared cache.
    const replica = await KeyTableVault.open(await models.open(), DEVELOPMENT_PII_MASTER_KEY);
    await expect(replica.open(first)).resolves.toMatchObject({ name: '李四' });

    await expect(vault.forget(subject, 'operator-1 (ticket PD-42)')).resolves.toBe(true);
    await expect(vault.open(first)).resolves.toBeUndefined();
    await expect(vault.open(second)).resolves.toBeUndefined();
    await expect(replica.open(first)).resolves.toBeUndefined();
    await expect(vault.forget(subject)).resolves.toBe(false);
    await expect(vault.tombstones(subject)).resolves.toEqual([
      { forgottenAt: NOW.toISOString(), forgottenBy: 'operator-1 (ticket PD-42)' },
    ]);
    const tombstone = await db.writer
      .selectFrom('pd_tombstones')
      .selectAll()
      .where('subject', '=', subject)
      .execute();
    expect(Object.keys(tombstone[0]).sort()).toEqual(['forgotten_at', 'forgotten_by', 'key_id', 'subject']);

    // The same person later objects again: a new key, which still never opens the old seals.
    const later = await vault.seal(subject, { name: '李四' });
    await expect(vault.open(later)).resolves.toEqual({ name: '李四' });
    await expect(vault.open(first)).resolves.toBeUndefined();
  });

  it('refuses a sealed value that was altered, or moved to another subject', async () => {
    const a = vault.subjectFor('id-number', '320102199001011234');
    const b = vault.subjectFor('id-number', '320102199001021231');
    const sealed = (await vault.seal(a, { name: '张三' })) as SealedPersonalData & { ct: string };
    await vault.seal(b, { name: '赵六' });
    const ct = Buffer.from(sealed.ct, 'base64url');
    ct[0] ^= 1;
    await expect(vault.open({ ...sealed, ct: ct.toString('base64url') })).rejects.toBeInstanceOf(
      SealedDataCorruptError,
    );
    // Moved to b: b's key id differs, so it is not b's data either.
    await expect(vault.open({ ...sealed, subject: b })).resolves.toBeUndefined();
  });

  it('creates one key per subject when replicas seal for a new subject at once', async () => {
    const subject = vault.subjectFor('email', 'race@example.cn');
    const replica = await KeyTableVault.open(await models.open(), DEVELOPMENT_PII_MASTER_KEY);
    const sealed = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? vault : replica).seal(subject, { i })),
    );
    for (const [i, s] of sealed.entries()) await expect(vault.open(s)).resolves.toEqual({ i });
    const rows = await db.writer
      .selectFrom('pd_keys')
      .select('key_id')
      .where('subject', '=', subject)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps its keys through a projection rebuild', async () => {
    const subject = vault.subjectFor('id-number', '11010519491231002X');
    const sealed = await vault.seal(subject, objector);
    const store = new EventStore(new SqliteEventStore({ file: ':memory:', now: () => NOW }));
    try {
      for (const projection of PROJECTIONS) await rebuildProjection({ store, db, projection });
    } finally {
      await store.close();
    }
    await expect(vault.open(sealed)).resolves.toEqual(objector);
  });

  it('rotates its master key online and resumably: every seal still opens, every subject id stays, the old key is then refused', async () => {
    const subjects = ['13900000101', '13900000102', '13900000103'].map((phone) =>
      vault.subjectFor('phone', phone),
    );
    const sealed = await Promise.all(subjects.map((subject, i) => vault.seal(subject, { n: i })));
    const before = vault.subjectFor('id-number', objector.idNumber);
    const newKey = randomBytes(32).toString('base64');

    // Step 1 (docs/privacy.md): the new key wraps, the old one still opens.
    const rotating = await KeyTableVault.open(await models.open(), newKey, {
      now: () => NOW,
      previous: [DEVELOPMENT_PII_MASTER_KEY],
    });
    expect(rotating.subjectFor('id-number', objector.idNumber)).toBe(before);
    for (const [i, s] of sealed.entries()) await expect(rotating.open(s)).resolves.toEqual({ n: i });
    const fresh = await rotating.seal(rotating.subjectFor('phone', '13900000104'), { n: 4 });
    const pending = await rotating.keysUnderOtherMasters();
    expect(pending).toBeGreaterThanOrEqual(subjects.length + 1); // the data keys and the subject key

    // Step 2: re-wrap in batches of 2. The process dies after the first batch (here: its
    // progress callback throws); run again, it does what is left, and nothing is lost.
    await expect(
      rotating.rotateMasterKey((p) => {
        if (p.done >= 2) throw new Error('killed');
      }, 2),
    ).rejects.toThrow('killed');
    const left = await rotating.keysUnderOtherMasters();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(pending);
    for (const [i, s] of sealed.entries()) await expect(rotating.open(s)).resolves.toEqual({ n: i });
    const seen: { done: number; total: number }[] = [];
    const resumed = await rotating.rotateMasterKey((p) => seen.push(p), 2);
    expect(resumed.done).toBe(left);
    expect(seen.at(-1)).toEqual({ done: left, total: left });
    await expect(rotating.keysUnderOtherMasters()).resolves.toBe(0);
    await expect(rotating.rotateMasterKey()).resolves.toEqual({ done: 0, total: 0 });

    // Step 3: the old key is dropped. Everything opens under the new key alone, subject ids
    // are unchanged (a forget by ID number still finds its person), and the old key opens nothing.
    const after = await KeyTableVault.open(await models.open(), newKey);
    expect(after.subjectFor('id-number', objector.idNumber)).toBe(before);
    for (const [i, s] of sealed.entries()) await expect(after.open(s)).resolves.toEqual({ n: i });
    await expect(after.open(fresh)).resolves.toEqual({ n: 4 });
    await expect(KeyTableVault.open(await models.open(), DEVELOPMENT_PII_MASTER_KEY)).rejects.toBeInstanceOf(
      MasterKeyMismatchError,
    );
    // Put the table back under the development key for the tests that follow.
    const back = await KeyTableVault.open(await models.open(), DEVELOPMENT_PII_MASTER_KEY, {
      previous: [newKey],
    });
    await back.rotateMasterKey();
  });

  it('keeps the subject ids of a key table from before subject keys were stored', async () => {
    const legacy = testReadModels(dialect, PG_URL);
    try {
      const legacyDb = await legacy.open();
      // As 0005 left it: data keys wrapped without a recorded master, and no stored subject key.
      const seeded = await KeyTableVault.open(legacyDb, DEVELOPMENT_PII_MASTER_KEY);
      const subject = seeded.subjectFor('phone', '13900000201');
      const sealed = await seeded.seal(subject, { name: '周七' });
      await legacyDb.writer.updateTable('pd_keys').set({ master_id: null }).execute();
      await legacyDb.writer.deleteFrom('pd_vault_keys').execute();
      // The subject key of 0005 was derived from the master key: the first open stores that one.
      const legacyIds = await KeyTableVault.open(legacyDb, DEVELOPMENT_PII_MASTER_KEY);
      expect(legacyIds.subjectFor('id-number', objector.idNumber)).toBe(
        derivedSubjectFor(DEVELOPMENT_PII_MASTER_KEY, objector.idNumber),
      );
      await expect(legacyIds.open(sealed)).resolves.toEqual({ name: '周七' });
    } finally {
      await legacy.dispose();
    }
  });
});

/** `subjectFor` as it was before 0006: HMAC under a key derived from the master key. */
function derivedSubjectFor(master: string, idNumber: string): string {
  const key = Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(master, 'base64'),
      Buffer.alloc(0),
      'cultivation-engine/personal-data/subject/v1',
      32,
    ),
  );
  return 'ps1_' + createHmac('sha256', key).update(`id-number\0${idNumber}`).digest('base64url');
}
