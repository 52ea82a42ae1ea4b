import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEventStoreBackend } from '@engine/event-store';
import { SystemClock } from '@engine/platform';
import { createBlobStore } from '@engine/platform/blob-store';
import { type CliCommand, type CliOptionSpecs, CliUsageError, parseOptions } from './command';
import { t } from './locale';
import { exportEvents, ExportOptionsError, ExportRefusedError, MANIFEST_FILE } from '@engine/incubation';
import { progressBar } from './progress';

const options = {
  from: {
    type: 'string',
    placeholder: 'ISO',
    description: t('起始时刻（含），ISO 8601', 'from this instant (inclusive), ISO 8601'),
  },
  to: {
    type: 'string',
    placeholder: 'ISO',
    description: t('截止时刻（不含），ISO 8601', 'to this instant (exclusive), ISO 8601'),
  },
  out: {
    type: 'string',
    placeholder: 'DIR',
    description: t('输出目录（须为新目录）', 'output directory (must be new)'),
  },
  'part-size': {
    type: 'string',
    placeholder: 'N',
    description: t('每个 JSONL 文件的事件数', 'events per JSONL file'),
  },
  'without-files': {
    type: 'boolean',
    default: false,
    description: t(
      '只导出材料文件的摘要，不带文件本身',
      "list the material files' digests only, without the files",
    ),
  },
} satisfies CliOptionSpecs;

/** `npm run cli -- export --from <ISO> --to <ISO> --out DIR` */
export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'export --from ISO --to ISO --out DIR [--without-files]',
  summary: t(
    '导出 [from, to) 期间记录的事件（JSONL）、其引用的材料文件及哈希清单，供审计',
    'events recorded in [from, to) as JSONL, the material files they name, and a manifest of hashes, for auditors',
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('export', args, options, []);
    if (!values.out) throw new CliUsageError('export: --out DIR is required');
    const partSize = values['part-size'] === undefined ? undefined : Number(values['part-size']);
    if (partSize !== undefined && !(Number.isSafeInteger(partSize) && partSize > 0)) {
      throw new CliUsageError('export: --part-size must be a positive whole number');
    }
    const backend = createEventStoreBackend(config, new SystemClock());
    const blobs = values['without-files'] ? undefined : createBlobStore(config);
    const bar = progressBar(t('导出中', 'exporting'));
    try {
      const manifest = await exportEvents(backend, {
        from: values.from,
        to: values.to,
        out: values.out,
        partSize,
        onProgress: (done, total) => bar.update(done, total),
        blobs,
      });
      bar.stop();
      const digest = createHash('sha256')
        .update(readFileSync(join(resolve(values.out), MANIFEST_FILE)))
        .digest('hex');
      console.log(
        t(
          `已导出 ${manifest.counts.streams} 条流的 ${manifest.counts.events} 个事件（另有 ${manifest.counts.context} 个上下文事件）和 ${manifest.materials!.entries.length} 份材料（${blobs ? '含文件' : '仅摘要'}）到 ${resolve(values.out)}\n` +
            `manifest.json 的 sha256 为 ${digest}：请与导出包分开保存，日后据此证明导出包就是当时导出的那一份`,
          `exported ${manifest.counts.events} events of ${manifest.counts.streams} streams (+${manifest.counts.context} context events) and ${manifest.materials!.entries.length} materials (${blobs ? 'with their files' : 'digests only'}) to ${resolve(values.out)}\n` +
            `manifest.json sha256 ${digest}: keep it apart from the bundle to prove later that the bundle is the one you took`,
        ),
      );
      return 0;
    } catch (error) {
      bar.stop();
      if (error instanceof ExportOptionsError) throw new CliUsageError(error.message);
      if (error instanceof ExportRefusedError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    } finally {
      await backend.close();
      await blobs?.close();
    }
  },
};
