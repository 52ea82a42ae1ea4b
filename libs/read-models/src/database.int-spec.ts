import { type Kysely, sql } from 'kysely';
import { testReadModels, type TestReadModels } from './testing/databases.testing';
import type { ReadModelDatabase } from './database';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('PostgreSQL read models: COPY of a rebuild shadow (copyRows)', () => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  beforeAll(async () => {
    models = testReadModels('postgres', PG_URL);
    db = await models.open();
    await sql`create table copied (id integer primary key, text text, note text)`.execute(db.writer);
  });
  afterAll(() => models.dispose());

  const rows = [
    [1, 'tab\there, line\nbreak, return\r, backslash \\ and \\N', null],
    [2, '区级审核退回补充材料：缺少"审计报告"', 'plain'],
    [3, '', '\\'],
  ];

  it('writes every value as given, inside the transaction it is called in', async () => {
    await db.writer.transaction().execute(async (trx) => {
      await db.copyRows(trx, 'copied', ['id', 'text', 'note'], rows);
      // Seen by the transaction itself before it commits: the same connection.
      const inside = await sql<{ n: number }>`select count(*)::int as n from copied`.execute(trx);
      expect(inside.rows[0].n).toBe(3);
    });
    const loose = db.reader as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const read = await loose.selectFrom('copied').selectAll().orderBy('id').execute();
    expect(read.map((r) => [r.id, r.text, r.note])).toEqual(rows);
  });

  it('is undone with the transaction when it fails after the copy', async () => {
    await expect(
      db.writer.transaction().execute(async (trx) => {
        await db.copyRows(trx, 'copied', ['id', 'text', 'note'], [[10, 'gone', null]]);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    const { rows: found } = await sql<{
      n: number;
    }>`select count(*)::int as n from copied where id = 10`.execute(db.reader);
    expect(found[0].n).toBe(0);
  });
});
