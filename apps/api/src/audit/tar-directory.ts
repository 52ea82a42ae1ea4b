import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';

async function* filesUnder(dir: string, prefix = ''): AsyncGenerator<{ path: string; name: string }> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* filesUnder(path, name);
    else if (entry.isFile()) yield { path, name };
  }
}

/**
 * A gzipped tar of a directory, as a stream: each file is read from disk as the archive is
 * sent, one after another, never the whole archive in memory. `root` is the directory name
 * inside the archive.
 */
export function tarGzDirectory(dir: string, root: string, mtime: Date): Readable {
  const archive = pack();
  const out = new PassThrough();
  const fill = async () => {
    for await (const file of filesUnder(dir)) {
      const { size } = await stat(file.path);
      await new Promise<void>((resolve, reject) => {
        const entry = archive.entry({ name: `${root}/${file.name}`, size, mode: 0o644, mtime }, (error) =>
          error ? reject(error) : resolve(),
        );
        const source = createReadStream(file.path);
        source.on('error', reject);
        source.pipe(entry);
      });
    }
    archive.finalize();
  };
  fill().catch((error: Error) => archive.destroy(error));
  const gzip = createGzip();
  archive.on('error', (error: Error) => out.destroy(error));
  gzip.on('error', (error: Error) => out.destroy(error));
  archive.pipe(gzip).pipe(out);
  return out;
}
