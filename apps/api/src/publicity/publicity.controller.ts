import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  type Aggregate,
  type RoundState,
  FinalizeRoundCommand,
  GetObjectionQuery,
  RaiseObjectionCommand,
  ResolveObjectionCommand,
  StartPublicityCommand,
  type ObjectionView,
  GetRoundListQuery,
  type RoundListEntries,
  type EvidenceFile,
  StoreObjectionEvidenceCommand,
  storedEvidenceFile,
} from '@engine/incubation';
import type { MultipartFile } from '@fastify/multipart';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { BlobStore, errorResponse, maskPerson, PersonalDataVault, type Principal } from '@engine/platform';
import { Caller, Public, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { sendStoredFile } from '../http/stored-file';
import { IsCalendarDate, IsDocumentNumber } from '../http/validators';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { IsText } from '../http/text';

export class StartPublicityRequest {
  @ApiPropertyOptional({ example: '2026-05-06', description: 'first day; today when absent' })
  @IsOptional()
  @IsCalendarDate()
  startsOn?: string;

  @ApiPropertyOptional({
    example: '锡科发〔2026〕12号',
    description:
      "the publicity notice's document number (文号): unique per issuing bureau and year (409 DOCUMENT_NUMBER_TAKEN), carries the year of issue",
  })
  @IsOptional()
  @IsDocumentNumber()
  documentNumber?: string;

  @ApiPropertyOptional({
    example: '无锡市科学技术局',
    description: "the bureau printed on the notice; the policy's issuer when absent",
  })
  @IsOptional()
  @IsText({ min: 2, max: 60 })
  issuer?: string;

  @ApiPropertyOptional({
    description:
      "start even though the end is counted without the official holiday arrangement of its year (409 CALENDAR_PROVISIONAL otherwise); recorded with the officer's id",
  })
  @IsOptional()
  @IsBoolean()
  confirmProvisional?: boolean;
}

export class FinalizeRoundRequest {
  @ApiPropertyOptional({
    example: '锡科发〔2026〕30号',
    description:
      "the admission notice's document number (文号): unique per issuing bureau and year (409 DOCUMENT_NUMBER_TAKEN), carries the year of issue",
  })
  @IsOptional()
  @IsDocumentNumber()
  documentNumber?: string;

  @ApiPropertyOptional({
    example: '无锡市科学技术局',
    description: "the bureau printed on the notice; the policy's issuer when absent",
  })
  @IsOptional()
  @IsText({ min: 2, max: 60 })
  issuer?: string;
}

function noticeOf(body: { documentNumber?: string; issuer?: string } | undefined) {
  return body?.documentNumber
    ? { documentNumber: body.documentNumber, ...(body.issuer ? { issuer: body.issuer } : {}) }
    : undefined;
}

export class Objector {
  @ApiProperty({ example: '张三' })
  @IsText({ max: 50 })
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ example: '11010519491231002X', description: 'resident ID number (GB 11643)' })
  @IsString()
  @Matches(/^\d{17}[\dX]$/, { message: 'idNumber must be an 18-character resident ID number' })
  idNumber!: string;

  @ApiProperty({ example: '13800138000' })
  @IsString()
  @Matches(/^\+?\d{6,20}$/, { message: 'phone must be a telephone number' })
  phone!: string;
}

export class ObjectionContact {
  @ApiProperty({ example: '李四' })
  @IsText({ max: 50 })
  name!: string;

  @ApiProperty({ example: '13800138000' })
  @IsString()
  @Matches(/^\+?\d{6,20}$/, { message: 'phone must be a telephone number' })
  phone!: string;
}

export class OrganizationObjector {
  @ApiProperty({ example: '无锡某某科技有限公司' })
  @IsText({ max: 200 })
  name!: string;

  @ApiProperty({
    example: '91320214MA1XK0001X',
    description: 'unified social credit code (check character verified)',
  })
  @IsString()
  @Length(18, 18)
  creditCode!: string;

  @ApiProperty({
    example: 'doc://objections/seal-0001.png',
    description: 'the objection with the official seal (公章), as an image reference',
  })
  @IsString()
  @Length(1, 1000)
  sealImage!: string;

  @ApiProperty({ type: ObjectionContact })
  @ValidateNested()
  @Type(() => ObjectionContact)
  contact!: ObjectionContact;
}

export class EvidenceFileReference {
  @ApiProperty({ description: 'the sha256 the upload answered' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex digits' })
  sha256!: string;

  @ApiProperty({ example: '银行流水.pdf' })
  @IsText({ max: 255 })
  fileName!: string;
}

export class RaiseObjectionRequest {
  @ApiPropertyOptional({ type: Objector, description: 'a person objecting; or `organization`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => Objector)
  objector?: Objector;

  @ApiPropertyOptional({
    type: OrganizationObjector,
    description: 'an organisation objecting; or `objector`',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrganizationObjector)
  organization?: OrganizationObjector;

  @ApiProperty({ example: '营业收入数据不实' })
  // A complete objection in Chinese can be short: 营业收入数据不实 is 8 characters.
  @IsText({ min: 4, max: 5000, multiline: true })
  @Matches(/\S/, { message: 'grounds must not be blank' })
  grounds!: string;

  @ApiProperty({
    type: [String],
    description: 'references to the evidence (documents, links); may be empty when files are given',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsText({ max: 1000, multiline: true, each: true })
  evidence!: string[];

  @ApiPropertyOptional({
    type: [EvidenceFileReference],
    description: 'files uploaded to POST /v1/applications/:id/objections/evidence, by digest',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EvidenceFileReference)
  evidenceFiles?: EvidenceFileReference[];
}

export class EvidenceFileView {
  @ApiProperty({ example: 'a3f5…', description: 'SHA-256 of the bytes (lowercase hex)' })
  sha256!: string;
  @ApiProperty({ example: '银行流水.pdf' })
  fileName!: string;
  @ApiProperty({ enum: ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png'] })
  mediaType!: string;
  @ApiProperty()
  size!: number;
}

export class ResolveObjectionRequest {
  @ApiProperty()
  @IsBoolean()
  upheld!: boolean;

  @ApiProperty()
  @IsText({ max: 2000, multiline: true })
  reason!: string;
}

export class RoundListQuery {
  @ApiPropertyOptional({ enum: ['proposed', 'final'] })
  @IsOptional()
  @IsIn(['proposed', 'final'])
  stage?: 'proposed' | 'final';

  @ApiPropertyOptional({ description: 'the list as it stood at this instant' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  asOf?: string;
}

@ApiTags('publicity')
@ApiBearerAuth()
@Controller('v1')
export class PublicityController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(BlobStore) private readonly blobs: BlobStore,
  ) {}

  @Post('applications/:id/objections/evidence')
  @HttpCode(201)
  @Public()
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary:
      "Upload an objection's evidence file (multipart/form-data, one `file` part; PDF, OFD, JPEG or PNG by content), before filing the objection that names it",
  })
  @ApiCreatedResponse({ type: EvidenceFileView })
  async evidence(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: FastifyRequest,
  ): Promise<EvidenceFileView> {
    if (!request.isMultipart()) {
      throw new HttpError(
        errorResponse(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'send the file as multipart/form-data, in a part named "file"',
        ),
      );
    }
    const part: MultipartFile | undefined = await request.file();
    if (!part) {
      const message = 'a file part is required';
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', `file: ${message}`, [{ field: 'file', message }]),
      );
    }
    try {
      if (part.fieldname !== 'file') {
        const message = 'the file part must be named "file"';
        throw new HttpError(
          errorResponse(400, 'VALIDATION_FAILED', `file: ${message}`, [{ field: 'file', message }]),
        );
      }
      return await this.commands.execute(
        new StoreObjectionEvidenceCommand(id, { fileName: part.filename, content: part.file }),
      );
    } finally {
      // What was not read (a refusal) is drained, so the client reads the answer; none is kept.
      if (!part.file.readableEnded) part.file.resume();
    }
  }

  @Post('rounds/:id/publicity')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: "Publicise the round's passed applications for the policy's working days" })
  async publicise(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: StartPublicityRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const round: Aggregate<RoundState> = await this.commands.execute(
      new StartPublicityCommand(
        id,
        body?.startsOn,
        caller,
        commandContext(request, caller),
        noticeOf(body),
        body?.confirmProvisional ?? false,
      ),
    );
    const p = round.state.publicity!;
    return {
      publicity: { startsOn: p.startsOn, endsOn: p.endsOn, provisional: p.provisional ?? false },
      proposed: round.state.proposed!.length,
      ...(p.documentNumber ? { documentNumber: p.documentNumber } : {}),
    };
  }

  @Post('rounds/:id/finalize')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Finalize the list (409 while publicity runs or an objection is open)' })
  async finalize(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: FinalizeRoundRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const round: Aggregate<RoundState> = await this.commands.execute(
      new FinalizeRoundCommand(id, caller, commandContext(request, caller), noticeOf(body)),
    );
    return {
      status: 'finalized',
      admitted: round.state.final?.admitted.length ?? 0,
      outcome: round.state.final?.outcome,
      ...(round.state.final?.documentNumber ? { documentNumber: round.state.final.documentNumber } : {}),
    };
  }

  @Get('rounds/:id/list')
  @Public()
  @ApiOperation({
    summary: 'The proposed or final list, now or as of an instant; public while the publicity runs',
  })
  async list(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: RoundListQuery,
    @Req() request: FastifyRequest & AuthenticatedRequest,
  ) {
    // Anyone may read the list while it is publicised; otherwise who reads the round (reach.ts).
    const entries: RoundListEntries = await this.queries.execute(
      new GetRoundListQuery(id, request.principal, query.stage, query.asOf),
    );
    return entries.map((e) => ({
      applicationId: e.applicationId,
      creditCode: e.creditCode,
      name: e.name,
      score: e.score,
    }));
  }

  @Post('applications/:id/objections')
  @HttpCode(201)
  @Public()
  @ApiOperation({ summary: 'Object to an application in publicity: real name, ID number, grounds, evidence' })
  async object(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RaiseObjectionRequest,
    @Req() request: FastifyRequest,
  ) {
    const anonymous: Principal = { sub: 'public', role: 'enterprise' };
    if (!body.objector === !body.organization) {
      const message = 'give exactly one of objector (a person) and organization';
      throw new HttpError(
        errorResponse(400, 'OBJECTOR_ANONYMOUS', message, [{ field: 'objector', message }]),
      );
    }
    const evidenceFiles: EvidenceFile[] = [];
    for (const [index, ref] of (body.evidenceFiles ?? []).entries()) {
      const file = await storedEvidenceFile(this.blobs, ref.sha256, ref.fileName);
      if (!file) {
        const message = 'no uploaded file has this digest: upload it first (it may have expired)';
        throw new HttpError(
          errorResponse(422, 'EVIDENCE_FILE_UNKNOWN', message, [
            { field: `evidenceFiles[${index}].sha256`, message },
          ]),
        );
      }
      if (!evidenceFiles.some((f) => f.sha256 === file.sha256)) evidenceFiles.push(file);
    }
    if (body.evidence.length === 0 && evidenceFiles.length === 0) {
      const message = 'an objection needs evidence: a reference or an uploaded file';
      throw new HttpError(errorResponse(400, 'VALIDATION_FAILED', message, [{ field: 'evidence', message }]));
    }
    const context = commandContext(request, anonymous);
    const objectionId: string = await this.commands.execute(
      new RaiseObjectionCommand(
        randomUUID(),
        id,
        {
          grounds: body.grounds,
          evidence: body.evidence,
          evidenceFiles,
          objector: body.organization
            ? { kind: 'organization', ...body.organization, contact: { ...body.organization.contact } }
            : { ...body.objector! },
        },
        {
          ...context,
          actor: { sub: 'public', role: 'public' },
        },
      ),
    );
    return { id: objectionId };
  }

  @Get('objections/:id')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      "An objection: the objector in full for the round's officers and auditors, masked for the district's officers",
  })
  async objection(@Param('id') id: string, @Caller() caller: Principal) {
    const view: ObjectionView = await this.queries.execute(new GetObjectionQuery(id, caller));
    const full = view.sight === 'full';
    // Opened only now, for this answer: a forgotten objector is unreadable (null) everywhere.
    const opened = (await this.vault.open(view.raised.objector)) as
      | {
          kind?: string;
          name: string;
          idNumber?: string;
          phone?: string;
          contact?: { name: string; phone: string };
        }
      | undefined;
    // An organisation is no person: its name, code and seal are shown; its contact person is masked like one.
    const person =
      opened?.kind === 'organization'
        ? { ...opened, contact: full ? opened.contact : maskPerson(opened.contact ?? {}) }
        : opened;
    return {
      id: view.raised.objectionId,
      applicationId: view.raised.applicationId,
      roundId: view.round.round!.roundId,
      raisedOn: view.raised.raisedOn,
      grounds: view.raised.grounds,
      evidence: view.raised.evidence,
      evidenceFiles: (view.raised.evidenceFiles ?? []).map((f) => ({
        ...f,
        href: `/v1/objections/${view.raised.objectionId}/evidence/${f.sha256}`,
      })),
      objectorKind: view.raised.objectorKind ?? 'person',
      objector: person ? (full || person.kind === 'organization' ? person : maskPerson(person)) : null,
      objectorForgotten: !person,
      resolution: view.resolution ?? null,
    };
  }

  @Get('objections/:id/evidence/:sha256')
  @Roles('officer', 'auditor')
  @ApiOperation({ summary: "An objection's evidence file, for the officers in reach and auditors" })
  async evidenceFile(
    @Param('id') id: string,
    @Param('sha256') sha256: string,
    @Caller() caller: Principal,
    @Res() reply: FastifyReply,
  ) {
    const view: ObjectionView = await this.queries.execute(new GetObjectionQuery(id, caller));
    const file = (view.raised.evidenceFiles ?? []).find((f) => f.sha256 === sha256);
    if (!file) throw new HttpError(errorResponse(404, 'EVIDENCE_FILE_NOT_FOUND', 'no such evidence file'));
    return sendStoredFile(reply, this.blobs, file, `evidence file ${file.fileName} of objection ${id}`);
  }

  @Post('objections/:id/resolution')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Resolve an objection; an upheld one removes the application from the list' })
  async resolve(
    @Param('id') id: string,
    @Body() body: ResolveObjectionRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    await this.commands.execute(
      new ResolveObjectionCommand(
        id,
        { upheld: body.upheld, reason: body.reason },
        caller,
        commandContext(request, caller),
      ),
    );
    return { id, upheld: body.upheld };
  }
}
