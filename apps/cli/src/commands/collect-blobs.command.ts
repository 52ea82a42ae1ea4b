import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { collectOrphanBlobs } from '@engine/incubation';
import { createBlobStore, SystemClock } from '@engine/platform';
import { type CliCommand, type CliOptionSpecs, CliUsageError, confirm, EXIT, parseOptions } from './command';
import { t } from './locale';

const options = {
  'grace-hours': {
    type: 'string',
    default: '24',
    placeholder: 'H',
    description: t(
      '只收集至少这么多小时前写入的文件（默认 24；0 表示不论新旧）',
      'only files last put at least this many hours ago (default 24; 0: any age)',
    ),
  },
  remove: {
    type: 'boolean',
    default: false,
    description: t('删除找到的文件（否则只列出）', 'delete what is found (else only list it)'),
  },
  yes: {
    type: 'boolean',
    short: 'y',
    default: false,
    description: t('不再询问确认', 'do not ask for confirmation'),
  },
  json: { type: 'boolean', default: false, description: t('以 JSON 输出结果', 'print the result as JSON') },
} satisfies CliOptionSpecs;

/**
 * `npm run cli -- collect-blobs [--grace-hours H] [--remove [--yes]] [--json]`: lists, and with
 * `--remove` deletes, the stored files no event names and last put more than the grace period
 * ago, on whichever blob store is configured (docs/materials.md, "Orphan files"). A file is
 * written before its event: an append that failed, or a crash in between, leaves one behind.
 * Exit 0, 1 when the removal was not confirmed, 64 on bad usage.
 */
export const collectBlobsCommand: CliCommand = {
  name: 'collect-blobs',
  usage: 'collect-blobs [--grace-hours H] [--remove [--yes]] [--json]',
  summary: t(
    '列出（加 --remove 时删除）没有任何事件引用、且超过宽限期的材料文件',
    'list (with --remove, delete) the stored files no event names, older than a grace period',
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('collect-blobs', args, options, []);
    const hours = Number(values['grace-hours']);
    if (!/^\d+(\.\d+)?$/.test(values['grace-hours'] ?? '') || !Number.isFinite(hours)) {
      throw new CliUsageError(
        t(
          'collect-blobs：--grace-hours 须为不小于 0 的数',
          'collect-blobs: --grace-hours is a number of hours, 0 or more',
        ),
      );
    }
    const store = new EventStore(createEventStoreBackend(config, new SystemClock()));
    const blobs = createBlobStore(config);
    try {
      const graceMs = hours * 3_600_000;
      const found = await collectOrphanBlobs(store.backend, blobs, {
        graceMs,
        now: new Date(),
        remove: false,
      });
      let result = found;
      if (values.remove && found.orphans.length > 0) {
        const bytes = found.orphans.reduce((sum, o) => sum + o.size, 0);
        const sure = await confirm(
          t(
            `删除 ${found.orphans.length} 个无引用的文件（共 ${bytes} 字节）？此操作不可撤销。`,
            `Delete ${found.orphans.length} unreferenced files (${bytes} bytes)? This cannot be undone.`,
          ),
          values.yes,
        );
        if (!sure) {
          console.error(t('已取消，没有改动。', 'aborted; nothing changed.'));
          return EXIT.failed;
        }
        // Looked for again: each file is checked once more just before it goes.
        result = await collectOrphanBlobs(store.backend, blobs, { graceMs, now: new Date(), remove: true });
      }
      if (values.json) {
        console.log(JSON.stringify({ store: blobs.name, graceHours: hours, ...result }));
        return EXIT.ok;
      }
      for (const o of result.orphans) console.log(`${o.digest}  ${o.size}  ${o.storedAt}`);
      const done = values.remove
        ? t(`，已删除 ${result.removed} 个`, `, ${result.removed} removed`)
        : result.orphans.length > 0
          ? t('（加 --remove 删除）', ' (--remove deletes them)')
          : '';
      console.log(
        t(
          `${blobs.name} 存储：${result.blobs} 个文件，${result.referenced} 个被事件引用；无引用且超过 ${hours} 小时的 ${result.orphans.length} 个${done}；无引用但较新的 ${result.young} 个保留`,
          `${blobs.name} store: ${result.blobs} files, ${result.referenced} named by events; ${result.orphans.length} unreferenced and older than ${hours} h${done}; ${result.young} unreferenced but younger, kept`,
        ),
      );
      return EXIT.ok;
    } finally {
      await Promise.all([store.close(), blobs.close()]);
    }
  },
};
