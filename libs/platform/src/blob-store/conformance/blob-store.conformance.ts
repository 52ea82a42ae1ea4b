/**
 * The behaviour every blob store adapter must have, as one Jest suite. Each adapter's
 * *.int-spec.ts calls {@link describeBlobStoreConformance} with a harness on real storage.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { type BlobInfo, BlobNotFoundError, type BlobStore, checkBlob } from '../blob-store.port';

export interface BlobStoreHarness<S extends BlobStore = BlobStore> {
  /** Opens a store; opening again after `close()` must see the same blobs (a restart). */
  open(): Promise<S>;
  /** Empties the storage (before each test). */
  reset(): Promise<void>;
  dispose?(): Promise<void>;
  /** Changes one byte of the stored blob behind the port's back (an attacker, a bad disk). */
  tamper(store: S, digest: string): Promise<void>;
  /** Leftovers of uploads that did not complete (temporary files, staged rows). */
  partialUploads(store: S): Promise<number>;
  /** Sets when the blob was last put (BlobInfo.storedAt) to `at`, as if it were put then. */
  backdate(store: S, digest: string, at: Date): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes in small pieces, as a network upload delivers them. */
async function* pieces(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function* failingAfter(bytes: Buffer, message: string): AsyncGenerator<Buffer> {
  yield* pieces(bytes);
  throw new Error(message);
}

async function listAll(store: BlobStore): Promise<Omit<BlobInfo, 'storedAt'>[]> {
  const all: Omit<BlobInfo, 'storedAt'>[] = [];
  for await (const { digest, size, storedAt } of store.list()) {
    expect(Number.isFinite(storedAt.getTime())).toBe(true); // a Date (of Node's realm, not Jest's)
    all.push({ digest, size });
  }
  return all.sort((a, b) => a.digest.localeCompare(b.digest));
}

export function describeBlobStoreConformance<S extends BlobStore>(
  adapter: string,
  harness: BlobStoreHarness<S>,
): void {
  describe(`blob store conformance: ${adapter}`, () => {
    let store: S;
    beforeEach(async () => {
      await harness.reset();
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await harness.dispose?.();
    });

    it('stores bytes under their SHA-256 and gives them back unchanged', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const put = await store.put(pieces(bytes));
      expect(put).toEqual({ digest: sha256(bytes), size: bytes.length, created: true });
      expect(await store.stat(put.digest)).toMatchObject({ digest: put.digest, size: bytes.length });
      expect((await readAll(await store.read(put.digest))).equals(bytes)).toBe(true);
      expect(await checkBlob(store, put.digest, bytes.length)).toBe('ok');
    });

    it('stores a file delivered as one large piece as well as in small ones', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 5);
      const { digest } = await store.put(Readable.from([bytes]));
      expect((await readAll(await store.read(digest))).equals(bytes)).toBe(true);
      await harness.tamper(store, digest);
      expect(await checkBlob(store, digest)).toBe('altered');
    });

    it('accepts a Node stream and an empty file', async () => {
      const bytes = Buffer.from('%PDF-1.7 a small document');
      expect((await store.put(Readable.from([bytes]))).digest).toBe(sha256(bytes));
      const empty = await store.put(Readable.from([]));
      expect(empty).toEqual({ digest: sha256(Buffer.alloc(0)), size: 0, created: true });
      expect((await readAll(await store.read(empty.digest))).length).toBe(0);
    });

    it('stores the same bytes once: a second put reports created: false', async () => {
      const bytes = randomBytes(100_000);
      const first = await store.put(pieces(bytes));
      const second = await store.put(pieces(bytes, 999));
      expect(second).toEqual({ ...first, created: false });
      expect(await listAll(store)).toEqual([{ digest: first.digest, size: bytes.length }]);
    });

    it('says when a blob was last put, and putting the same bytes again makes it young again', async () => {
      const bytes = randomBytes(4000);
      const before = Date.now();
      const { digest } = await store.put(pieces(bytes));
      const stored = (await store.stat(digest))!.storedAt.getTime();
      // The database's clock and the process's may differ a little.
      expect(stored).toBeGreaterThanOrEqual(before - 5000);
      expect(stored).toBeLessThanOrEqual(Date.now() + 5000);

      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      await harness.backdate(store, digest, twoDaysAgo);
      expect((await store.stat(digest))!.storedAt.getTime()).toBe(twoDaysAgo.getTime());
      const listed = [];
      for await (const info of store.list()) listed.push({ ...info, storedAt: info.storedAt.getTime() });
      expect(listed).toEqual([{ digest, size: bytes.length, storedAt: twoDaysAgo.getTime() }]);

      expect(await store.put(pieces(bytes))).toEqual({ digest, size: bytes.length, created: false });
      expect((await store.stat(digest))!.storedAt.getTime()).toBeGreaterThanOrEqual(before - 5000);
      expect(await harness.partialUploads(store)).toBe(0);
    });

    it('two concurrent uploads of the same bytes both succeed, and one blob is kept', async () => {
      const bytes = randomBytes(2 * 1024 * 1024);
      const results = await Promise.all([store.put(pieces(bytes)), store.put(pieces(bytes, 4096))]);
      expect(results.map((r) => r.digest)).toEqual([sha256(bytes), sha256(bytes)]);
      expect(results.filter((r) => r.created).length).toBeGreaterThanOrEqual(1);
      expect(await listAll(store)).toEqual([{ digest: sha256(bytes), size: bytes.length }]);
      expect((await readAll(await store.read(sha256(bytes)))).equals(bytes)).toBe(true);
    });

    it('a source that fails part-way leaves nothing behind, not even a partial upload', async () => {
      const bytes = randomBytes(3 * 1024 * 1024);
      await expect(store.put(failingAfter(bytes, 'connection dropped'))).rejects.toThrow(
        'connection dropped',
      );
      expect(await listAll(store)).toEqual([]);
      expect(await store.stat(sha256(bytes))).toBeNull();
      expect(await harness.partialUploads(store)).toBe(0);
    });

    it('an absent blob: stat is null, read rejects with BlobNotFoundError, delete is false', async () => {
      const digest = sha256(Buffer.from('never stored'));
      expect(await store.stat(digest)).toBeNull();
      await expect(store.read(digest)).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await store.delete(digest)).toBe(false);
      expect(await checkBlob(store, digest)).toBe('missing');
    });

    it('deletes a blob', async () => {
      const { digest } = await store.put(pieces(randomBytes(5000)));
      expect(await store.delete(digest)).toBe(true);
      expect(await store.stat(digest)).toBeNull();
      expect(await listAll(store)).toEqual([]);
    });

    it('keeps blobs across a restart', async () => {
      const bytes = randomBytes(1_500_000);
      const { digest } = await store.put(pieces(bytes));
      await store.close();
      store = await harness.open();
      expect((await readAll(await store.read(digest))).equals(bytes)).toBe(true);
    });

    it('lists every blob with its size', async () => {
      const a = randomBytes(10);
      const b = randomBytes(2_000_000);
      await store.put(pieces(a));
      await store.put(pieces(b));
      expect(await listAll(store)).toEqual(
        [
          { digest: sha256(a), size: a.length },
          { digest: sha256(b), size: b.length },
        ].sort((x, y) => x.digest.localeCompare(y.digest)),
      );
    });

    it('checkBlob finds a blob altered behind its back', async () => {
      const bytes = randomBytes(1_200_000);
      const { digest } = await store.put(pieces(bytes));
      await harness.tamper(store, digest);
      expect(await checkBlob(store, digest, bytes.length)).toBe('altered');
    });

    it('refuses a name that is not a SHA-256 digest', async () => {
      await expect(store.stat('../../etc/passwd')).rejects.toThrow(/not a SHA-256 digest/);
    });
  });
}
