import { createHash, randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertDigest,
  type BlobInfo,
  BlobNotFoundError,
  BlobStore,
  DIGEST_PATTERN,
  type PutResult,
} from '../../blob-store.port';

export interface DiskBlobStoreOptions {
  /** The store's own directory, e.g. `$DATA_DIR/blobs`. Created when missing. */
  directory: string;
  /** Partial uploads older than this are removed when the store opens (a crash mid-upload). */
  staleUploadMs?: number;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * Blobs as files: `<dir>/sha256/<first two hex digits>/<digest>`, read-only once written.
 * An upload streams to `<dir>/tmp/<uuid>.part` while it is hashed, is fsynced, then renamed into
 * place and its directory fsynced: a blob is either absent or complete, even after a power cut.
 */
export class DiskBlobStore extends BlobStore {
  readonly name = 'disk';
  private readonly tmp: string;
  private readonly root: string;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: DiskBlobStoreOptions) {
    super();
    this.tmp = join(options.directory, 'tmp');
    this.root = join(options.directory, 'sha256');
  }

  /** Where a blob lives on disk (for operators and tests). */
  pathOf(digest: string): string {
    assertDigest(digest);
    return join(this.root, digest.slice(0, 2), digest);
  }

  private open(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.tmp, { recursive: true });
      await mkdir(this.root, { recursive: true });
      const stale = Date.now() - (this.options.staleUploadMs ?? 3_600_000);
      for (const name of await readdir(this.tmp)) {
        const path = join(this.tmp, name);
        const info = await stat(path).catch(() => undefined);
        // mtimeMs has sub-millisecond precision, Date.now() has not: compare whole milliseconds.
        if (info && Math.floor(info.mtimeMs) <= stale) await rm(path, { force: true });
      }
    })();
    return this.ready;
  }

  async put(source: AsyncIterable<Uint8Array> | Readable): Promise<PutResult> {
    await this.open();
    const part = join(this.tmp, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        // flush: fsync before close, so the rename below never exposes a file still in the page cache.
        createWriteStream(part, { flags: 'wx', mode: 0o600, flush: true }),
      );
      const digest = hash.digest('hex');
      const target = this.pathOf(digest);
      const existing = await stat(target).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (existing) {
        await unlink(part);
        // Put again: young again (BlobInfo.storedAt), so the orphan collection leaves it alone.
        const now = new Date();
        await utimes(target, now, now);
        return { digest, size, created: false };
      }
      await mkdir(dirname(target), { recursive: true });
      await chmod(part, 0o444);
      await rename(part, target);
      await fsyncDirectory(dirname(target));
      return { digest, size, created: true };
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
  }

  async stat(digest: string): Promise<BlobInfo | null> {
    try {
      const info = await stat(this.pathOf(digest));
      return { digest, size: info.size, storedAt: info.mtime };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async read(digest: string): Promise<Readable> {
    const path = this.pathOf(digest);
    // Opened here, so a missing file is a rejection now rather than an error mid-stream.
    const handle = await open(path, constants.O_RDONLY).catch((error: unknown) => {
      throw isMissing(error) ? new BlobNotFoundError(digest) : error;
    });
    return handle.createReadStream({ highWaterMark: 256 * 1024 });
  }

  async delete(digest: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(digest));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    await this.open();
    for (const prefix of await readdir(this.root)) {
      const names = await readdir(join(this.root, prefix)).catch(() => [] as string[]);
      for (const name of names) {
        if (!DIGEST_PATTERN.test(name)) continue;
        const info = await stat(join(this.root, prefix, name)).catch(() => undefined);
        if (info?.isFile()) yield { digest: name, size: info.size, storedAt: info.mtime };
      }
    }
  }

  /** Partial uploads now in the temporary directory (the conformance suite checks there are none). */
  async partialUploads(): Promise<number> {
    await this.open();
    return (await readdir(this.tmp)).length;
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
