import { SNIFF_BYTES, sniffMediaType } from '../../domain/materials/materials';
import type { MaterialMediaType } from '../../domain/policies/policy-types';
import { tooLarge, unsupported } from '../../domain/shared/domain-error';

export interface InspectionLimits {
  /** More bytes than this: 413 with `limitCode`. */
  maxBytes: number;
  limitCode: 'FILE_TOO_LARGE' | 'APPLICATION_MATERIALS_TOO_LARGE';
  limitMessage: string;
  accepted: readonly MaterialMediaType[];
}

/**
 * Passes an upload through, chunk by chunk, while it refuses it as soon as it is too large
 * (413) or its first bytes are not of an accepted type (415). `decided` receives the media
 * type before any byte is passed on. Holds at most {@link SNIFF_BYTES} plus one chunk.
 */
export async function* inspectUpload(
  source: AsyncIterable<Uint8Array>,
  limits: InspectionLimits,
  decided: (mediaType: MaterialMediaType) => void,
): AsyncGenerator<Buffer> {
  let head: Buffer[] = [];
  let headBytes = 0;
  let total = 0;
  let known = false;
  const decide = () => {
    const type = sniffMediaType(Buffer.concat(head, headBytes).subarray(0, SNIFF_BYTES));
    if (type === null || !limits.accepted.includes(type)) {
      throw unsupported(
        'UNSUPPORTED_MEDIA_TYPE',
        type === null
          ? 'the file is not a PDF, OFD, JPEG or PNG document (judged by its content, not its name)'
          : `a ${type} file is not accepted for this material; accepted: ${limits.accepted.join(', ')}`,
        { accepted: limits.accepted },
      );
    }
    decided(type);
    known = true;
  };
  for await (const piece of source) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    total += chunk.length;
    if (total > limits.maxBytes) {
      throw tooLarge(limits.limitCode, limits.limitMessage, { maxBytes: limits.maxBytes });
    }
    if (known) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    headBytes += chunk.length;
    if (headBytes >= SNIFF_BYTES) {
      decide();
      yield* head;
      head = [];
    }
  }
  if (!known) {
    decide();
    yield* head;
  }
}
