import { randomBytes } from 'node:crypto';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { DEVELOPMENT_PII_MASTER_KEY, type SealedPersonalData } from '@engine/platform';
import type { ReadModelDatabase } from '../database';
import { PROJECTIONS } from '../projections';
import { rebuildProjection } from '../runner/rebuild';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { KeyTableVault, SealedDataCorruptError } from './key-table-vault';

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
    vault = new KeyTableVault(db, DEVELOPMENT_PII_MASTER_KEY, () => NOW);
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

  it('maps one person to one subject however the identifier is written, and nobody else to it', () => {
    expect(vault.subjectFor('id-number', ' 11010519491231002x ')).toBe(
      vault.subjectFor('id-number', '11010519491231002X'),
    );
    expect(vault.subjectFor('phone', '+86 138-1234-5678')).toBe(vault.subjectFor('phone', '13812345678'));
    expect(vault.subjectFor('phone', '13812345678')).not.toBe(vault.subjectFor('email', '13812345678'));
    // Under another master key the same person is another subject: ids cannot be precomputed.
    const other = new KeyTableVault(db, randomBytes(32).toString('base64'));
    expect(other.subjectFor('id-number', objector.idNumber)).not.toBe(
      vault.subjectFor('id-number', objector.idNumber),
    );
  });

  it('forgets: every earlier seal opens to undefined, on every handle at once, and a tombstone remains', async () => {
    const subject = vault.subjectFor('phone', '13900000001');
    const first = await vault.seal(subject, { name: '李四', phone: '13900000001' });
    const second = await vault.seal(subject, { name: '李四', note: '第二次异议' });
    // Another replica: its own connection, no shared cache.
    const replica = new KeyTableVault(await models.open(), DEVELOPMENT_PII_MASTER_KEY);
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
    const replica = new KeyTableVault(await models.open(), DEVELOPMENT_PII_MASTER_KEY);
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
});
