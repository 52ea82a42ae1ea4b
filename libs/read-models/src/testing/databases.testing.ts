import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ReadModelDatabase, type ReadModelDialect } from '../database';

export interface TestReadModels {
  dialect: ReadModelDialect;
  /** Opens another handle on the same database (another process, as far as the database can tell). */
  open(): Promise<ReadModelDatabase>;
  /** Closes every handle opened and drops the database (file or schema). */
  dispose(): Promise<void>;
}

/** A throwaway read-model database: a temp SQLite file, or a unique PostgreSQL schema. */
export function testReadModels(dialect: ReadModelDialect, postgresUrl: string): TestReadModels {
  const opened: ReadModelDatabase[] = [];
  const dir = dialect === 'sqlite' ? mkdtempSync(join(tmpdir(), 'read-models-')) : undefined;
  const schema = `rm_test_${randomBytes(6).toString('hex')}`;
  return {
    dialect,
    async open() {
      const db = await ReadModelDatabase.open(
        dialect === 'sqlite'
          ? { dialect, file: join(dir!, 'read-models.sqlite') }
          : { dialect, url: postgresUrl, schema, poolSize: 4 },
      );
      opened.push(db);
      return db;
    },
    async dispose() {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      if (dir) rmSync(dir, { recursive: true, force: true });
      else {
        const client = new Client({ connectionString: postgresUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      }
    },
  };
}
