import { chmodSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBlobStoreConformance } from '../../conformance/blob-store.conformance';
import { DiskBlobStore } from './disk-blob-store';

const root = mkdtempSync(join(tmpdir(), 'blob-store-disk-'));
const directory = join(root, 'blobs');

describeBlobStoreConformance<DiskBlobStore>('disk', {
  async open() {
    return new DiskBlobStore({ directory });
  },
  async reset() {
    rmSync(directory, { recursive: true, force: true });
  },
  async dispose() {
    rmSync(root, { recursive: true, force: true });
  },
  async tamper(store, digest) {
    const path = store.pathOf(digest);
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(path, bytes);
  },
  partialUploads: (store) => store.partialUploads(),
  async backdate(store, digest, at) {
    utimesSync(store.pathOf(digest), at, at);
  },
});

describe('disk blob store: the adapter itself', () => {
  // The conformance suite removed `root` already; this one writes below it again.
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes partial uploads a crash left behind when it opens', async () => {
    const dir = join(root, 'crash');
    const first = new DiskBlobStore({ directory: dir, staleUploadMs: 0 });
    await first.partialUploads(); // creates the directories
    writeFileSync(join(dir, 'tmp', 'left-by-a-crash.part'), 'half a file');
    const reopened = new DiskBlobStore({ directory: dir, staleUploadMs: 0 });
    expect(await reopened.partialUploads()).toBe(0);
  });
});
