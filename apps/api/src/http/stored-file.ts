import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { BlobNotFoundError, type BlobStore, errorResponse } from '@engine/platform';
import { HttpError } from './http-error';

/** A stored file as an event names it (a material, an objection's evidence file). */
export interface NamedFile {
  sha256: string;
  size: number;
  mediaType: string;
  fileName: string;
}

const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]|["\\%]/g, '_');

/**
 * Sends a stored file with its media type, length, file name (RFC 6266/8187) and digest. The
 * bytes are hashed on their way out: a file altered in storage ends in an aborted response
 * rather than a download that looks complete. A file missing from the store is a 500 that tells
 * the operator to restore it (`what` names it in the message).
 */
export async function sendStoredFile(
  reply: FastifyReply,
  blobs: BlobStore,
  file: NamedFile,
  what: string,
): Promise<FastifyReply> {
  let stream;
  try {
    stream = await blobs.read(file.sha256);
  } catch (error) {
    if (!(error instanceof BlobNotFoundError)) throw error;
    throw new HttpError(
      errorResponse(
        500,
        'MATERIAL_FILE_MISSING',
        `the stored file of ${what} is missing; an operator must restore it (run verify)`,
      ),
    );
  }
  const hash = createHash('sha256');
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      done(hash.digest('hex') === file.sha256 ? null : new Error(`${what}: stored file altered`));
    },
  });
  stream.on('error', (error) => checked.destroy(error));
  return reply
    .header('Content-Type', file.mediaType)
    .header('Content-Length', String(file.size))
    .header(
      'Content-Disposition',
      contentDisposition(file.fileName, { fallback: asciiFallback(file.fileName) }),
    )
    .header('ETag', `"${file.sha256}"`)
    .header('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`)
    .header('Cache-Control', 'private, no-store')
    .send(stream.pipe(checked));
}
