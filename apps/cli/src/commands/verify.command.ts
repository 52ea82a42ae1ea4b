import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { verifyMaterials } from '@engine/incubation/infrastructure/material-integrity';
import { SystemClock } from '@engine/platform';
import { createBlobStore } from '@engine/platform/blob-store';
import { type CliCommand, parseOptions } from './command';
import { progressBar } from './progress';

/**
 * Recomputes every stream's hash chain, then every stored material file's SHA-256; exit 0
 * when all is intact, 2 when a link is broken or a file is missing or altered.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify [--json]',
  summary:
    "check every stream's hash chain and every stored file; name the first broken event and each bad file",
  async run(args, config) {
    const { values } = parseOptions('verify', args, { json: { type: 'boolean', default: false } });
    const store = new EventStore(createEventStoreBackend(config, new SystemClock()));
    const blobs = createBlobStore(config);
    const bar = progressBar('verifying');
    try {
      const chains = await store.verify((done, head) => bar.update(done, head));
      bar.stop();
      const materials = await verifyMaterials(store.backend, blobs);
      const ok = chains.ok && materials.ok;
      if (values.json) console.log(JSON.stringify({ ...chains, ok, materials }));
      else {
        if (chains.ok)
          console.log(`ok: ${chains.events} events in ${chains.streams} streams, every hash chain intact`);
        else {
          const b = chains.firstBreak!;
          console.log(
            `BROKEN: stream ${b.stream} at revision ${b.revision} (${b.reason}); ${chains.events} events read`,
          );
        }
        if (materials.ok)
          console.log(
            `ok: ${materials.materials} materials in ${materials.files} files, every digest matches`,
          );
        else {
          console.log(
            `FILES: ${materials.problems.length} of ${materials.materials} materials fail their digest`,
          );
          for (const p of materials.problems) {
            console.log(
              `  - application ${p.applicationId} material ${p.materialId} (${p.kind}, ${p.fileName}): file ${p.sha256} ${p.problem}`,
            );
          }
        }
      }
      return ok ? 0 : 2;
    } finally {
      await Promise.all([store.close(), blobs.close()]);
    }
  },
};
