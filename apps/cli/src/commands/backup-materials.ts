import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { evidenceFileReferences, materialReferences } from '@engine/incubation';
import type { BlobStore } from '@engine/platform/blob-store';

/**
 * The material files of a backup (docs/materials.md): beside the backup's event store
 * `DIR/events.sqlite`, the directory `DIR/materials/` holds every file the backed-up events
 * name (applications' materials and objections' evidence files), one per digest, named by it.
 * Files are written before the events that name them are restored.
 */
export const materialsDirectoryOf = (backupEventsFile: string) =>
  join(dirname(backupEventsFile), 'materials');

/** Distinct digests the backup's events name, each with one event that names it (for messages). */
async function referencesIn(file: string): Promise<Map<string, string>> {
  const store = new EventStore(new SqliteEventStore({ file, now: () => new Date(), readonly: true }));
  try {
    const found = new Map<string, string>();
    for (const ref of await materialReferences(store.backend)) {
      const what = `application ${ref.applicationId} material ${ref.materialId} (${ref.kind}, ${ref.fileName})`;
      if (!found.has(ref.sha256)) found.set(ref.sha256, what);
    }
    for (const ref of await evidenceFileReferences(store.backend)) {
      const what = `round ${ref.roundId} objection ${ref.objectionId} evidence (${ref.fileName})`;
      if (!found.has(ref.sha256)) found.set(ref.sha256, what);
    }
    return found;
  } finally {
    await store.close();
  }
}

/** Copies the files the backup's events name into DIR/materials/, each checked on the way. */
export async function backupMaterials(
  backupFile: string,
  blobs: BlobStore,
): Promise<{ files: number; bytes: number; problems: string[] }> {
  const wanted = await referencesIn(backupFile);
  const dir = materialsDirectoryOf(backupFile);
  mkdirSync(dir, { recursive: true });
  const problems: string[] = [];
  let bytes = 0;
  for (const [digest, ref] of wanted) {
    if (!(await blobs.stat(digest))) {
      problems.push(`${ref}: file ${digest} is missing from the store`);
      continue;
    }
    const hash = createHash('sha256');
    await pipeline(
      await blobs.read(digest),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(join(dir, digest), { flags: 'wx', flush: true }),
    );
    if (hash.digest('hex') !== digest) problems.push(`${ref}: file ${digest} is altered in the store`);
  }
  return { files: wanted.size, bytes, problems };
}

/** Checks DIR/materials/ holds every file the backup's events name, intact; the problems found. */
export async function checkBackupMaterials(
  backupFile: string,
): Promise<{ files: number; problems: string[] }> {
  const wanted = await referencesIn(backupFile);
  const dir = materialsDirectoryOf(backupFile);
  const problems: string[] = [];
  for (const [digest, ref] of wanted) {
    const path = join(dir, digest);
    if (!existsSync(path)) {
      problems.push(`${ref}: ${path} is missing`);
      continue;
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== digest) problems.push(`${ref}: ${path} is altered`);
  }
  return { files: wanted.size, problems };
}

/** Puts the backup's files into the blob store (already checked by {@link checkBackupMaterials}). */
export async function restoreMaterials(backupFile: string, blobs: BlobStore): Promise<number> {
  const wanted = await referencesIn(backupFile);
  for (const digest of wanted.keys()) {
    const put = await blobs.put(createReadStream(join(materialsDirectoryOf(backupFile), digest)));
    if (put.digest !== digest) throw new Error(`restoring ${digest}: the file changed while it was read`);
  }
  return wanted.size;
}
