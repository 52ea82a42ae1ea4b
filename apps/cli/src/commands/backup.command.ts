import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventStore, sqliteEventStoreFile } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { createBlobStore } from '@engine/platform/blob-store';
import { backupMaterials, checkBackupMaterials, restoreMaterials } from './backup-materials';
import { type CliCommand, CliUsageError, parseOptions } from './command';
import { progressBar } from './progress';

/**
 * Online backup of the embedded store with SQLite's backup API: consistent while the engine
 * keeps writing. KurrentDB and PostgreSQL have their own tools (docs/operations.md).
 */
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup --out FILE',
  summary: 'consistent online copy of the embedded SQLite event store, and its material files beside it',
  async run(args, config) {
    const { values } = parseOptions('backup', args, { out: { type: 'string' } });
    if (!values.out) throw new CliUsageError('backup: --out FILE is required');
    if (config.EVENT_STORE !== 'sqlite') {
      throw new CliUsageError(
        `backup: EVENT_STORE=${config.EVENT_STORE}; use that store's own backup (docs/operations.md)`,
      );
    }
    const out = resolve(values.out);
    if (existsSync(out)) throw new CliUsageError(`backup: ${out} exists; choose a new file`);
    const backend = new SqliteEventStore({ file: sqliteEventStoreFile(config), now: () => new Date() });
    const bar = progressBar('backing up');
    try {
      await backend.backup(out, (done, total) => bar.update(done, total));
    } finally {
      bar.stop();
      await backend.close();
    }
    const check = await verifySqliteFile(out);
    console.log(
      `backup written to ${out}: ${check.events} events, hash chains ${check.ok ? 'intact' : 'BROKEN'}`,
    );
    // The material files the events name, into FILE.materials/ (backup-materials.ts).
    const blobs = createBlobStore(config);
    const files = await backupMaterials(out, blobs).finally(() => blobs.close());
    console.log(`material files written to ${out}.materials: ${files.files} files, ${files.bytes} bytes`);
    for (const p of files.problems) console.log(`  - ${p}`);
    return check.ok && files.problems.length === 0 ? 0 : 2;
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore --from FILE [--force]',
  summary: 'replace the embedded event store with a backup (engine stopped)',
  async run(args, config) {
    const { values } = parseOptions('restore', args, {
      from: { type: 'string' },
      force: { type: 'boolean', default: false },
    });
    if (!values.from) throw new CliUsageError('restore: --from FILE is required');
    const from = resolve(values.from);
    if (!existsSync(from)) throw new CliUsageError(`restore: ${from} does not exist`);
    const target = sqliteEventStoreFile(config);
    // Check the backup before touching anything.
    const probe = new Database(from, { readonly: true, fileMustExist: true });
    const integrity = probe.pragma('integrity_check', { simple: true });
    probe.close();
    if (integrity !== 'ok')
      throw new CliUsageError(`restore: ${from} fails SQLite's integrity check: ${String(integrity)}`);
    const check = await verifySqliteFile(from);
    if (!check.ok)
      throw new CliUsageError(
        `restore: ${from} has a broken hash chain at ${JSON.stringify(check.firstBreak)}`,
      );
    const files = await checkBackupMaterials(from);
    if (files.problems.length)
      throw new CliUsageError(
        `restore: the material files of ${from} are incomplete:\n  - ${files.problems.join('\n  - ')}`,
      );
    if (existsSync(target) && !values.force) {
      throw new CliUsageError(`restore: ${target} exists; stop the engine and pass --force to replace it`);
    }
    // Files first: every restored event that names a file finds it.
    const blobs = createBlobStore(config);
    await restoreMaterials(from, blobs).finally(() => blobs.close());
    const staging = `${target}.restoring`;
    copyFileSync(from, staging);
    for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    renameSync(staging, target);
    console.log(
      `restored ${check.events} events in ${check.streams} streams and ${files.files} material files from ${from} to ${target}`,
    );
    return 0;
  },
};

async function verifySqliteFile(file: string) {
  const store = new EventStore(new SqliteEventStore({ file, now: () => new Date(), readonly: true }));
  try {
    return await store.verify();
  } finally {
    await store.close();
  }
}
