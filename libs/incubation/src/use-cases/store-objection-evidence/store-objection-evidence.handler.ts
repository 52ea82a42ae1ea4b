import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig, BlobStore, DIGEST_PATTERN } from '@engine/platform';
import { MATERIAL_MEDIA_TYPES } from '../../domain/policies/policy-types';
import { sanitizeFileName, SNIFF_BYTES, sniffMediaType } from '../../domain/materials/materials';
import type { MaterialMediaType } from '../../domain/policies/policy-types';
import { conflict } from '../../domain/shared/domain-error';
import { Aggregates } from '../../infrastructure/handle-command';
import { inspectUpload } from '../materials/upload-inspection';
import { type EvidenceFile, StoreObjectionEvidenceCommand } from './store-objection-evidence.command';

/**
 * An objection's evidence file, with a material's limits: the per-file size
 * (MATERIAL_MAX_FILE_BYTES, 413), PDF, OFD, JPEG or PNG by magic bytes (415), the name
 * sanitised; refused while the application is not in publicity (409), before a byte is read.
 * A refused upload leaves nothing; a file no objection then names is an orphan that
 * `collect-blobs` removes after its grace period (docs/materials.md).
 */
@CommandHandler(StoreObjectionEvidenceCommand)
export class StoreObjectionEvidenceHandler implements ICommandHandler<
  StoreObjectionEvidenceCommand,
  EvidenceFile
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ applicationId, upload }: StoreObjectionEvidenceCommand): Promise<EvidenceFile> {
    const application = await this.aggregates.application(applicationId);
    if (application.state.status !== 'in-publicity') {
      throw conflict('OUTSIDE_PUBLICITY', 'the application is not in publicity');
    }
    const maxBytes = this.config.MATERIAL_MAX_FILE_BYTES;
    let mediaType: MaterialMediaType | undefined;
    const put = await this.blobs.put(
      inspectUpload(
        upload.content.iterator({ destroyOnReturn: false }),
        {
          maxBytes,
          limitCode: 'FILE_TOO_LARGE',
          limitMessage: `a file may have at most ${maxBytes} bytes`,
          accepted: MATERIAL_MEDIA_TYPES,
        },
        (type) => (mediaType = type),
      ),
    );
    return {
      sha256: put.digest,
      fileName: sanitizeFileName(upload.fileName, mediaType!),
      mediaType: mediaType!,
      size: put.size,
    };
  }
}

/**
 * The stored evidence file an objection names by digest, its type judged again from its first
 * bytes; null when the store does not hold it (never uploaded, or collected as an orphan).
 */
export async function storedEvidenceFile(
  blobs: BlobStore,
  sha256: string,
  fileName: string,
): Promise<EvidenceFile | null> {
  if (!DIGEST_PATTERN.test(sha256)) return null;
  const info = await blobs.stat(sha256);
  if (!info) return null;
  const head: Buffer[] = [];
  let bytes = 0;
  const stream = await blobs.read(sha256);
  for await (const chunk of stream) {
    head.push(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes >= SNIFF_BYTES) break;
  }
  stream.destroy();
  const mediaType = sniffMediaType(Buffer.concat(head).subarray(0, SNIFF_BYTES));
  if (!mediaType) return null;
  return { sha256, fileName: sanitizeFileName(fileName, mediaType), mediaType, size: info.size };
}
