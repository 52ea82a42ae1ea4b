import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@engine/platform';
import { BlobStore } from '@engine/platform/blob-store';
import { applicationStream, type MaterialAttachedData } from '../../domain/application/application.events';
import {
  applicationDecider,
  type ApplicationState,
  assertMaterialsEditable,
  attachedBytes,
  materialRequirement,
} from '../../domain/application/application.decider';
import { sanitizeFileName } from '../../domain/materials/materials';
import type { MaterialMediaType } from '../../domain/policies/policy-types';
import { tooLarge } from '../../domain/shared/domain-error';
import { idFromIdempotencyKey, requestDigest } from '../../infrastructure/command-context';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertOwnsApplication } from '../reach';
import { inspectUpload } from '../materials/upload-inspection';
import { AttachMaterialCommand } from './attach-material.command';

export interface AttachedMaterial {
  application: Aggregate<ApplicationState>;
  material: MaterialAttachedData;
}

/**
 * The file goes to the blob store first, checked as it streams (size, type by magic bytes),
 * then MaterialAttached names it by digest. A refusal at any step leaves no blob behind: a
 * refused stream is never committed, and a blob written for an event that is then refused is
 * deleted again (unless it was already stored, for another material).
 */
@CommandHandler(AttachMaterialCommand)
export class AttachMaterialHandler implements ICommandHandler<AttachMaterialCommand, AttachedMaterial> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({
    applicationId,
    upload,
    principal,
    context,
    request,
  }: AttachMaterialCommand): Promise<AttachedMaterial> {
    const maxFileBytes = this.config.MATERIAL_MAX_FILE_BYTES;
    const maxApplicationBytes = this.config.MATERIAL_MAX_APPLICATION_BYTES;
    // Refuse before reading the file whatever can be refused without it.
    const current = await this.aggregates.application(applicationId);
    const created = assertOwnsApplication(principal, current.state);
    // A repeat of an upload that succeeded is answered from the record (the repository finds
    // it by its key): it is not refused for the state or the space the first one changed.
    const repeat =
      context.idempotencyKey !== undefined &&
      (await this.usedKey(current.stream, principal.sub, context.idempotencyKey));
    if (!repeat) assertMaterialsEditable(current.state);
    const requirements = this.policies.get(created.policyVersion)?.requiredMaterials ?? [];
    const requirement = materialRequirement(requirements, upload.kind);
    const left = repeat ? maxFileBytes : maxApplicationBytes - attachedBytes(current.state);
    const fileLimited = maxFileBytes <= left;
    if (left <= 0) {
      throw tooLarge(
        'APPLICATION_MATERIALS_TOO_LARGE',
        `an application's files may total at most ${maxApplicationBytes} bytes`,
        { maxApplicationBytes },
      );
    }

    let mediaType: MaterialMediaType | undefined;
    const put = await this.blobs.put(
      inspectUpload(
        // Not destroyed when the inspection stops early: the edge drains what is left, so the
        // client reads the refusal instead of a reset connection.
        upload.content.iterator({ destroyOnReturn: false }),
        {
          maxBytes: Math.min(maxFileBytes, left),
          limitCode: fileLimited ? 'FILE_TOO_LARGE' : 'APPLICATION_MATERIALS_TOO_LARGE',
          limitMessage: fileLimited
            ? `a file may have at most ${maxFileBytes} bytes`
            : `an application's files may total at most ${maxApplicationBytes} bytes; ${left} bytes are left`,
          accepted: requirement.mediaTypes,
        },
        (type) => (mediaType = type),
      ),
    );
    const fileName = sanitizeFileName(upload.fileName, mediaType!);
    const materialId = context.idempotencyKey
      ? idFromIdempotencyKey(principal.sub, context.idempotencyKey, `material\n${applicationId}`)
      : randomUUID();
    const material: MaterialAttachedData = {
      materialId,
      kind: upload.kind,
      fileName,
      mediaType: mediaType!,
      size: put.size,
      sha256: put.digest,
    };
    const withDigest = context.idempotencyKey
      ? {
          ...context,
          requestHash: requestDigest([
            request.method,
            request.path,
            { kind: upload.kind, fileName, sha256: put.digest },
          ]),
        }
      : context;
    try {
      const application = await this.aggregates
        .of(applicationDecider)
        .handle(applicationStream(applicationId), withDigest, ({ state }) => {
          assertOwnsApplication(principal, state);
          return { type: 'AttachMaterial', material, requirements, maxFileBytes, maxApplicationBytes };
        });
      const stored = application.state.materials?.find((m) => m.materialId === materialId) ?? material;
      return { application, material: stored };
    } catch (error) {
      if (put.created) await this.blobs.delete(put.digest).catch(() => undefined);
      throw error;
    }
  }

  private async usedKey(stream: string, sub: string, key: string): Promise<boolean> {
    const events = await this.aggregates.history(stream);
    return events.some((e) => {
      const meta = e.metadata as typeof e.metadata & { idempotencyKey?: string };
      return meta.idempotencyKey === key && meta.actor.sub === sub;
    });
  }
}
