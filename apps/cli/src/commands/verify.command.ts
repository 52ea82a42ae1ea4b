import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { verifyMaterials } from '@engine/incubation';
import { SystemClock } from '@engine/platform';
import { createBlobStore } from '@engine/platform/blob-store';
import { type CliCommand, type CliOptionSpecs, EXIT, parseOptions } from './command';
import { t } from './locale';
import { progressBar } from './progress';

const options = {
  json: { type: 'boolean', default: false, description: t('以 JSON 输出结果', 'print the result as JSON') },
} satisfies CliOptionSpecs;

/**
 * Recomputes every stream's hash chain, then every stored material file's SHA-256; exit 0
 * when all is intact, 2 when a link is broken or a file is missing or altered.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify [--json]',
  summary: t(
    '重算每条流的哈希链并校验每个材料文件，指出第一个被破坏的事件和每个坏文件（被篡改时退出码 2）',
    "check every stream's hash chain and every stored file; name the first broken event and each bad file (exit 2 when altered)",
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('verify', args, options, []);
    const store = new EventStore(createEventStoreBackend(config, new SystemClock()));
    const blobs = createBlobStore(config);
    const bar = progressBar(t('校验中', 'verifying'));
    try {
      const chains = await store.verify((done, head) => bar.update(done, head));
      bar.stop();
      const materials = await verifyMaterials(store.backend, blobs);
      const ok = chains.ok && materials.ok;
      if (values.json) console.log(JSON.stringify({ ...chains, ok, materials }));
      else {
        if (chains.ok)
          console.log(
            t(
              `完好：${chains.streams} 条流共 ${chains.events} 个事件，哈希链全部完整`,
              `ok: ${chains.events} events in ${chains.streams} streams, every hash chain intact`,
            ),
          );
        else {
          const b = chains.firstBreak!;
          console.log(
            t(
              `已损坏：流 ${b.stream} 第 ${b.revision} 版（${b.reason}）；已读 ${chains.events} 个事件`,
              `BROKEN: stream ${b.stream} at revision ${b.revision} (${b.reason}); ${chains.events} events read`,
            ),
          );
        }
        if (materials.ok)
          console.log(
            t(
              `完好：${materials.files} 个文件中的 ${materials.materials} 份材料和 ${materials.evidenceFiles} 份异议证据，摘要全部一致`,
              `ok: ${materials.materials} materials and ${materials.evidenceFiles} objection evidence files in ${materials.files} files, every digest matches`,
            ),
          );
        else {
          console.log(
            t(
              `文件：${materials.materials} 份材料中有 ${materials.problems.length} 份、${materials.evidenceFiles} 份异议证据中有 ${materials.evidenceProblems.length} 份与摘要不符`,
              `FILES: ${materials.problems.length} of ${materials.materials} materials and ${materials.evidenceProblems.length} of ${materials.evidenceFiles} objection evidence files fail their digest`,
            ),
          );
          for (const p of materials.evidenceProblems) {
            console.log(
              t(
                `  - 轮次 ${p.roundId} 对申报 ${p.applicationId} 的异议 ${p.objectionId} 的证据（${p.fileName}）：文件 ${p.sha256} ${p.problem === 'missing' ? '缺失' : '已被改动'}`,
                `  - round ${p.roundId} objection ${p.objectionId} to application ${p.applicationId}, evidence (${p.fileName}): file ${p.sha256} ${p.problem}`,
              ),
            );
          }
          for (const p of materials.problems) {
            console.log(
              t(
                `  - 申报 ${p.applicationId} 的材料 ${p.materialId}（${p.kind}，${p.fileName}）：文件 ${p.sha256} ${p.problem === 'missing' ? '缺失' : '已被改动'}`,
                `  - application ${p.applicationId} material ${p.materialId} (${p.kind}, ${p.fileName}): file ${p.sha256} ${p.problem}`,
              ),
            );
          }
        }
      }
      return ok ? EXIT.ok : EXIT.broken;
    } finally {
      await Promise.all([store.close(), blobs.close()]);
    }
  },
};
