import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** A stored blob: its SHA-256 (lowercase hex) and its length in bytes. */
export interface BlobInfo {
  digest: string;
  size: number;
  /**
   * When these bytes were last put: written, or put again while already held (which refreshes
   * it). The orphan collection keeps a blob younger than its grace period, so a file put for an
   * event about to be appended is never taken from under it.
   */
  storedAt: Date;
}

export interface PutResult extends Omit<BlobInfo, 'storedAt'> {
  /** false when the store already held these exact bytes (nothing new was written). */
  created: boolean;
}

export class BlobNotFoundError extends Error {
  constructor(readonly digest: string) {
    super(`no blob ${digest}`);
    this.name = 'BlobNotFoundError';
  }
}

export const DIGEST_PATTERN = /^[0-9a-f]{64}$/;

export function assertDigest(digest: string): void {
  if (!DIGEST_PATTERN.test(digest)) throw new TypeError(`not a SHA-256 digest: ${JSON.stringify(digest)}`);
}

/**
 * Content-addressed file storage (docs/materials.md). A blob is named by the SHA-256 of its
 * bytes, computed while it streams in; `put` makes it visible only once every byte is durable,
 * and leaves nothing behind when the source fails (a refused upload, a dropped connection).
 * Adapters: a directory under DATA_DIR (embedded) and PostgreSQL (production), both under the
 * conformance suite in conformance/blob-store.conformance.ts.
 */
export abstract class BlobStore {
  /** `disk` or `postgres`, for messages. */
  abstract readonly name: string;
  /**
   * Streams the bytes in and stores them under their digest. Never holds the whole content in
   * memory. If `source` throws, the error is rethrown and nothing is stored.
   */
  abstract put(source: AsyncIterable<Uint8Array> | Readable): Promise<PutResult>;
  /** The blob's size and when it was last put, or null when the store does not hold it. */
  abstract stat(digest: string): Promise<BlobInfo | null>;
  /**
   * The bytes as stored, streamed; rejects with {@link BlobNotFoundError}. Not checked against
   * the digest on the way (see {@link checkBlob}).
   */
  abstract read(digest: string): Promise<Readable>;
  /** Removes the blob; false when there was none. */
  abstract delete(digest: string): Promise<boolean>;
  /** Every stored blob (any order). */
  abstract list(): AsyncIterable<BlobInfo>;
  abstract close(): Promise<void>;
}

export type BlobCheck = 'ok' | 'missing' | 'altered';

/** Reads the blob back and recomputes its SHA-256 (and size, when given). */
export async function checkBlob(store: BlobStore, digest: string, size?: number): Promise<BlobCheck> {
  let stream: Readable;
  try {
    stream = await store.read(digest);
  } catch (error) {
    if (error instanceof BlobNotFoundError) return 'missing';
    throw error;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  if (hash.digest('hex') !== digest) return 'altered';
  return size === undefined || size === bytes ? 'ok' : 'altered';
}
