import { join, resolve } from 'node:path';
import { createBlobStore } from '@engine/platform/blob-store';
import { BackupError, checkBackup, restoreBackup, takeBackup } from '../backup/backup';
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
    placeholder: 'DIR',
    description: t('备份目录（须为新目录或空目录）', 'backup directory (new or empty)'),
  },
} satisfies CliOptionSpecs;
const restoreOptions = {
  from: { type: 'string', placeholder: 'DIR', description: t('要恢复的备份目录', 'the backup to restore') },
  check: {
    type: 'boolean',
    default: false,
    description: t('只校验备份，不做改动', 'only check the backup; change nothing'),
  },
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

/** The event store inside a backup directory; its material files are in `materials/` beside it. */
const eventsFileOf = (dir: string) => join(resolve(dir), 'events.sqlite');

/**
 * `backup --out DIR`: a consistent online copy of everything the embedded profile cannot
 * rebuild (events, personal-data keys, webhook registrations, processor checkpoints, and the
 * material files the events name), with a manifest. The work is in ../backup/backup.ts and
 * ./backup-materials.ts; this file only parses arguments and reports.
 */
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup --out DIR',
  summary: t(
    '在线备份内嵌事件库、个人信息密钥表和材料文件，写完后校验（损坏时退出码 2）',
    'consistent online copy of the embedded event store, the personal-data keys and the material files, verified after writing (exit 2 if broken)',
  ),
  options: backupOptions,
  async run(args, config) {
    const { values } = parseOptions('backup', args, backupOptions, []);
    if (!values.out) throw new CliUsageError('backup: --out DIR is required');
    const out = resolve(values.out);
    const bar = progressBar(t('备份中', 'backing up'));
    let manifest;
    try {
      manifest = await takeBackup(config, out, (done, total) => bar.update(done, total));
    } catch (error) {
      if (error instanceof BackupError) throw new CliUsageError(`backup: ${error.message}`);
      throw error;
    } finally {
      bar.stop();
    }
    const rows = Object.entries(manifest.state.rows)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ');
    console.log(
      t(
        `备份已写入 ${out}：${manifest.eventStore.events} 个事件（哈希链完整）；${rows}`,
        `backup written to ${out}: ${manifest.eventStore.events} events (hash chains intact); ${rows}`,
      ),
    );
    // The material files the events name, into DIR/materials/ (backup-materials.ts).
    const blobs = createBlobStore(config);
    const files = await backupMaterials(eventsFileOf(out), blobs).finally(() => blobs.close());
    console.log(
      t(
        `材料文件：${files.files} 个，共 ${files.bytes} 字节`,
        `material files: ${files.files} files, ${files.bytes} bytes`,
      ),
    );
    for (const p of files.problems) console.log(`  - ${p}`);
    return files.problems.length === 0 ? EXIT.ok : EXIT.broken;
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore --from DIR [--check] [--force] [--yes]',
  summary: t(
    '校验备份，或用它替换内嵌事件库、密钥表和材料文件（须先停止引擎；损坏时退出码 2）',
    'check a backup, or replace the embedded event store, key table and material files with it (engine stopped; exit 2 if broken)',
  ),
  options: restoreOptions,
  async run(args, config) {
    const { values } = parseOptions('restore', args, restoreOptions, []);
    if (!values.from) throw new CliUsageError('restore: --from DIR is required');
    const from = resolve(values.from);
    // Check everything before touching anything: a broken backup is exit 2, like verify.
    let manifest;
    try {
      manifest = await checkBackup(from);
    } catch (error) {
      if (error instanceof BackupError) throw new CliBrokenError(`restore: ${error.message}`);
      throw error;
    }
    const files = await checkBackupMaterials(eventsFileOf(from));
    if (files.problems.length)
      throw new CliBrokenError(
        `restore: the material files of ${from} are incomplete:\n  - ${files.problems.join('\n  - ')}`,
      );
    if (values.check) {
      console.log(
        t(
          `备份 ${from} 完好：${manifest.eventStore.events} 个事件，${manifest.state.rows.pd_keys} 个个人信息密钥，${files.files} 个材料文件`,
          `backup ${from} is sound: ${manifest.eventStore.events} events, ${manifest.state.rows.pd_keys} personal-data keys, ${files.files} material files`,
        ),
      );
      return EXIT.ok;
    }
    const sure = await confirm(
      t(
        `用 ${from}（${manifest.eventStore.events} 个事件）替换当前数据？`,
        `Replace the current data with ${from} (${manifest.eventStore.events} events)?`,
      ),
      values.yes,
    );
    if (!sure) {
      console.error(t('已取消，没有改动。', 'aborted; nothing changed.'));
      return EXIT.failed;
    }
    try {
      // Files first: every restored event that names a file finds it.
      const blobs = createBlobStore(config);
      await restoreMaterials(eventsFileOf(from), blobs).finally(() => blobs.close());
      await restoreBackup(config, from, { force: values.force! });
    } catch (error) {
      if (error instanceof BackupError) throw new CliUsageError(`restore: ${error.message}`);
      throw error;
    }
    console.log(
      t(
        `已从 ${from}（${manifest.takenAt} 备份）恢复 ${manifest.eventStore.streams} 条流共 ${manifest.eventStore.events} 个事件、${manifest.state.rows.pd_keys} 个个人信息密钥和 ${files.files} 个材料文件`,
        `restored ${manifest.eventStore.events} events in ${manifest.eventStore.streams} streams, ` +
          `${manifest.state.rows.pd_keys} personal-data keys and ${files.files} material files from ${from} (taken ${manifest.takenAt})`,
      ),
    );
    return EXIT.ok;
  },
};
