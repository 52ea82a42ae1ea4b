import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventStore, sqliteEventStoreFile } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { createBlobStore } from '@engine/platform/blob-store';
import { backupMaterials, checkBackupMaterials, restoreMaterials } from './backup-materials';
import {
  CliBrokenError,
  type CliCommand,
  type CliOptionSpecs,
  CliUsageError,
  confirm,
  EXIT,
  parseOptions,
} from './command';
import { t } from './locale';
import { progressBar } from './progress';

const backupOptions = {
  out: {
    type: 'string',
    placeholder: 'FILE',
    description: t('备份文件（须为新文件）', 'backup file (must not exist)'),
  },
} satisfies CliOptionSpecs;
const restoreOptions = {
  from: { type: 'string', placeholder: 'FILE', description: t('要恢复的备份文件', 'the backup to restore') },
  force: {
    type: 'boolean',
    default: false,
    description: t('替换现有的事件库（引擎须已停止）', 'replace an existing event store (engine stopped)'),
  },
  yes: {
    type: 'boolean',
    short: 'y',
    default: false,
    description: t('不再询问确认', 'do not ask for confirmation'),
  },
} satisfies CliOptionSpecs;

/**
 * Online backup of the embedded store with SQLite's backup API: consistent while the engine
 * keeps writing. KurrentDB and PostgreSQL have their own tools (docs/operations.md).
 */
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup --out FILE',
  summary: t(
    '在线生成内嵌 SQLite 事件库的一致性副本及其材料文件，写完后校验（损坏时退出码 2）',
    'consistent online copy of the embedded SQLite event store and its material files, verified after writing (exit 2 if broken)',
  ),
  options: backupOptions,
  async run(args, config) {
    const { values } = parseOptions('backup', args, backupOptions, []);
    if (!values.out) throw new CliUsageError('backup: --out FILE is required');
    if (config.EVENT_STORE !== 'sqlite') {
      throw new CliUsageError(
        `backup: EVENT_STORE=${config.EVENT_STORE}; use that store's own backup (docs/operations.md)`,
      );
    }
    const out = resolve(values.out);
    if (existsSync(out)) throw new CliUsageError(`backup: ${out} exists; choose a new file`);
    const backend = new SqliteEventStore({ file: sqliteEventStoreFile(config), now: () => new Date() });
    const bar = progressBar(t('备份中', 'backing up'));
    try {
      await backend.backup(out, (done, total) => bar.update(done, total));
    } finally {
      bar.stop();
      await backend.close();
    }
    const check = await verifySqliteFile(out, t('校验备份', 'verifying the backup'));
    console.log(
      t(
        `备份已写入 ${out}：${check.events} 个事件，哈希链${check.ok ? '完整' : '已损坏（BROKEN）'}`,
        `backup written to ${out}: ${check.events} events, hash chains ${check.ok ? 'intact' : 'BROKEN'}`,
      ),
    );
    // The material files the events name, into FILE.materials/ (backup-materials.ts).
    const blobs = createBlobStore(config);
    const files = await backupMaterials(out, blobs).finally(() => blobs.close());
    console.log(`material files written to ${out}.materials: ${files.files} files, ${files.bytes} bytes`);
    for (const p of files.problems) console.log(`  - ${p}`);
    return check.ok && files.problems.length === 0 ? EXIT.ok : EXIT.broken;
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore --from FILE [--force]',
  summary: t(
    '用备份替换内嵌事件库（须先停止引擎；先校验备份，损坏时退出码 2）',
    'replace the embedded event store with a backup (engine stopped; the backup is checked first, exit 2 if broken)',
  ),
  options: restoreOptions,
  async run(args, config) {
    const { values } = parseOptions('restore', args, restoreOptions, []);
    if (!values.from) throw new CliUsageError('restore: --from FILE is required');
    const from = resolve(values.from);
    if (!existsSync(from)) throw new CliUsageError(`restore: ${from} does not exist`);
    const target = sqliteEventStoreFile(config);
    // Check the backup before touching anything.
    let integrity: unknown;
    try {
      const probe = new Database(from, { readonly: true, fileMustExist: true });
      try {
        integrity = probe.pragma('integrity_check', { simple: true });
      } finally {
        probe.close();
      }
    } catch (error) {
      // Not a SQLite database at all (truncated, overwritten, the wrong file).
      integrity = (error as Error).message;
    }
    if (integrity !== 'ok')
      throw new CliBrokenError(`restore: ${from} fails SQLite's integrity check: ${String(integrity)}`);
    const check = await verifySqliteFile(from, t('校验备份', 'verifying the backup'));
    if (!check.ok)
      throw new CliBrokenError(
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
    const sure = await confirm(
      t(
        `用 ${from}（${check.events} 个事件）替换 ${target}？`,
        `Replace ${target} with ${from} (${check.events} events)?`,
      ),
      values.yes,
    );
    if (!sure) {
      console.error(t('已取消，没有改动。', 'aborted; nothing changed.'));
      return EXIT.failed;
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

async function verifySqliteFile(file: string, label: string) {
  const store = new EventStore(new SqliteEventStore({ file, now: () => new Date(), readonly: true }));
  const bar = progressBar(label);
  try {
    return await store.verify((done, head) => bar.update(done, head));
  } finally {
    bar.stop();
    await store.close();
  }
}
