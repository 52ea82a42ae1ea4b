import type { Readable } from 'node:stream';
import type { MaterialMediaType } from '../../domain/policies/policy-types';

/** A file kept as an objection's evidence: named by digest in ObjectionRaised. */
export interface EvidenceFile {
  sha256: string;
  /** Sanitised as a material's name is. */
  fileName: string;
  mediaType: MaterialMediaType;
  size: number;
}

/**
 * Streams an evidence file (or an organisation's seal image) into the blob store for an
 * objection about to be filed against an application in publicity; the objection then names
 * it by digest. Nobody signs in for it: the public page uploads before it files.
 */
export class StoreObjectionEvidenceCommand {
  constructor(
    readonly applicationId: string,
    readonly upload: { fileName: string | undefined; content: Readable },
  ) {}
}
