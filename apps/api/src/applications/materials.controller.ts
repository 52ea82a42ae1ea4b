import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  type Aggregate,
  type ApplicationState,
  missingMaterials,
  GetApplicationQuery,
  AttachMaterialCommand,
  RemoveMaterialCommand,
  readableMaterials,
  type MaterialRequirement,
  type AttachedMaterial,
  PolicyLookup,
} from '@engine/incubation';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MaterialAttachedData } from '@engine/incubation/domain/application/application.events';
import { errorResponse, type Principal } from '@engine/platform';
import { BlobStore } from '@engine/platform/blob-store';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { sendStoredFile } from '../http/stored-file';

const materialView = (applicationId: string, m: MaterialAttachedData) => ({
  id: m.materialId,
  kind: m.kind,
  fileName: m.fileName,
  mediaType: m.mediaType,
  size: m.size,
  sha256: m.sha256,
  href: `/v1/applications/${applicationId}/materials/${m.materialId}/content`,
});

const notFound = () => new HttpError(errorResponse(404, 'MATERIAL_NOT_FOUND', 'no such material'));

const badRequest = (field: string, message: string) =>
  new HttpError(errorResponse(400, 'VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]));

/** ASCII-only stand-in for clients that do not read `filename*` (RFC 6266, RFC 8187). */
/**
 * An application's materials (docs/materials.md): upload while draft or returned, list,
 * download, remove. Files are streamed in and out, never held whole in memory.
 */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('v1/applications/:id/materials')
export class MaterialsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(BlobStore) private readonly blobs: BlobStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('enterprise')
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary:
      'Attach a file (multipart/form-data: a `kind` field, then the `file` part); PDF, OFD, JPEG or PNG by content',
  })
  async attach(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!request.isMultipart()) {
      throw new HttpError(
        errorResponse(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'send the file as multipart/form-data: a "kind" field, then the "file" part',
        ),
      );
    }
    const context = commandContext(request, caller);
    const part: MultipartFile | undefined = await request.file();
    if (!part) throw badRequest('file', 'a file part is required');
    try {
      const kindField = part.fields.kind as MultipartValue | MultipartValue[] | undefined;
      const kind = (Array.isArray(kindField) ? kindField[0] : kindField)?.value;
      if (typeof kind !== 'string' || !kind.trim())
        throw badRequest('kind', 'the "kind" field is required, before the file part');
      if (part.fieldname !== 'file') throw badRequest('file', 'the file part must be named "file"');
      const { application, material }: AttachedMaterial = await this.commands.execute(
        new AttachMaterialCommand(
          id,
          { kind: kind.trim(), fileName: part.filename, content: part.file },
          caller,
          context,
          { method: 'POST', path: `/v1/applications/${id}/materials` },
        ),
      );
      void reply
        .header('ETag', `"${application.revision}"`)
        .header('Location', `/v1/applications/${id}/materials/${material.materialId}/content`);
      return { ...materialView(id, material), revision: application.revision };
    } finally {
      // Whatever was not read (a refusal before or during the upload) is discarded, so the
      // client can read the answer; nothing of it is kept.
      if (!part.file.readableEnded) part.file.resume();
    }
  }

  @Get()
  @Roles('enterprise', 'officer', 'auditor', 'expert')
  @ApiOperation({ summary: "The application's materials and the programme's material requirements" })
  async list(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { application, requirements, materials } = await this.readable(id, caller);
    const shownRequirements =
      caller.role === 'expert' ? requirements.filter((r) => r.visibleToExperts) : requirements;
    void reply.header('ETag', `"${application.revision}"`);
    return {
      applicationId: id,
      revision: application.revision,
      materials: materials.map((m) => materialView(id, m)),
      requirements: shownRequirements.map((r) => ({
        kind: r.kind,
        label: r.label,
        required: r.required,
        mediaTypes: r.mediaTypes,
        visibleToExperts: r.visibleToExperts,
        attached: materials.filter((m) => m.kind === r.kind).length,
      })),
      missing:
        caller.role === 'expert'
          ? []
          : missingMaterials(application.state, requirements).map((r) => ({ kind: r.kind, label: r.label })),
    };
  }

  @Get(':materialId/content')
  @Roles('enterprise', 'officer', 'auditor', 'expert')
  @ApiOperation({ summary: 'The file itself, with its media type and file name' })
  async content(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('materialId', new ParseUUIDPipe()) materialId: string,
    @Caller() caller: Principal,
    @Res() reply: FastifyReply,
  ) {
    const { materials } = await this.readable(id, caller);
    const material = materials.find((m) => m.materialId === materialId);
    if (!material) throw notFound();
    return sendStoredFile(reply, this.blobs, material, `material ${materialId}`);
  }

  @Delete(':materialId')
  @Roles('enterprise')
  @ApiOperation({ summary: 'Remove a material while the application is a draft or returned' })
  async remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('materialId', new ParseUUIDPipe()) materialId: string,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new RemoveMaterialCommand(id, materialId, caller, commandContext(request, caller)),
    );
    void reply.header('ETag', `"${application.revision}"`);
    return {
      applicationId: id,
      revision: application.revision,
      materials: (application.state.materials ?? []).map((m) => materialView(id, m)),
    };
  }

  private async readable(id: string, caller: Principal) {
    const application: Aggregate<ApplicationState> = await this.queries.execute(new GetApplicationQuery(id));
    const requirements: MaterialRequirement[] = application.state.exists
      ? (this.policies.get(application.state.created!.policyVersion)?.requiredMaterials ?? [])
      : [];
    const materials = readableMaterials(caller, application.state, requirements);
    return { application, requirements, materials };
  }
}
