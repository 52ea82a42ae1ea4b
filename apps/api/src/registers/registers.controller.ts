import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { IsOptional } from 'class-validator';
import { REGISTER_KINDS, Registers, type RegisterKind } from '@engine/incubation';
import { errorResponse, type Principal } from '@engine/platform';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { IsJurisdiction } from '../http/validators';

const badRequest = (field: string, message: string) =>
  new HttpError(errorResponse(400, 'VALIDATION_FAILED', 'validation failed', [{ field, message }]));

const registerKind = (value: string): RegisterKind => {
  if (!(REGISTER_KINDS as readonly string[]).includes(value))
    throw new HttpError(errorResponse(404, 'REGISTER_NOT_FOUND', `no register "${value}"`));
  return value as RegisterKind;
};

const DATE = { type: 'string', format: 'date', example: '2021-11-30' } as const;
const VERSION_PROPERTIES = {
  register: { type: 'string', enum: [...REGISTER_KINDS] },
  jurisdiction: { type: 'string', example: 'js.wuxi' },
  version: { type: 'string', description: 'SHA-256 (hex) of the imported file', example: 'e3b0c442…' },
  fileName: { type: 'string', example: '2021年国家高新技术企业名单.xlsx' },
  format: { type: 'string', enum: ['csv', 'xlsx'] },
  rowCount: { type: 'integer', example: 1234 },
  chunks: { type: 'integer', description: 'RegisterEntriesRecorded events (1,000 rows each) plus one' },
  importedOn: DATE,
} as const;
const VERSION_SCHEMA = {
  type: 'object',
  required: Object.keys(VERSION_PROPERTIES),
  properties: VERSION_PROPERTIES,
} as const;
const IMPORTED_SCHEMA = {
  ...VERSION_SCHEMA,
  required: [...VERSION_SCHEMA.required, 'revision'],
  properties: { ...VERSION_PROPERTIES, revision: { type: 'integer' } },
} as const;
const SCREENING_SCHEMA = {
  type: 'object',
  required: [
    'roundId',
    'programme',
    'policyVersion',
    'jurisdiction',
    'on',
    'registers',
    'versions',
    'candidates',
  ],
  properties: {
    roundId: { type: 'string', format: 'uuid' },
    programme: { type: 'string', example: 'eaglet' },
    policyVersion: { type: 'string', example: 'eaglet/wuxi-2020' },
    jurisdiction: { type: 'string', example: 'js.wuxi' },
    on: { ...DATE, description: 'the day validity was checked on (today, China)' },
    registers: { type: 'array', items: { type: 'string', enum: [...REGISTER_KINDS] } },
    versions: {
      type: 'array',
      description: 'the register versions read',
      items: {
        type: 'object',
        required: ['register', 'jurisdiction', 'version', 'importedOn', 'rowCount'],
        properties: {
          register: { type: 'string', enum: [...REGISTER_KINDS] },
          jurisdiction: { type: 'string' },
          version: { type: 'string' },
          importedOn: DATE,
          rowCount: { type: 'integer' },
        },
      },
    },
    candidates: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'register',
          'version',
          'importedOn',
          'creditCode',
          'name',
          'certificateNumber',
          'validFrom',
          'validUntil',
          'jurisdiction',
        ],
        properties: {
          register: { type: 'string', enum: [...REGISTER_KINDS] },
          version: { type: 'string' },
          importedOn: DATE,
          creditCode: { type: 'string', example: '91320214MA1XK0001X' },
          name: { type: 'string' },
          certificateNumber: { type: 'string', example: 'GR202132001234' },
          validFrom: DATE,
          validUntil: DATE,
          jurisdiction: { type: 'string', example: 'js.wuxi.xinwu' },
        },
      },
    },
  },
} as const;

export class RegisterQuery {
  @ApiPropertyOptional({
    example: 'js.wuxi',
    description: "the register's jurisdiction (an officer's own by default)",
  })
  @IsOptional()
  @IsJurisdiction()
  jurisdiction?: string;
}

/**
 * Reference registers (docs/policies.md, "Registers"): officers import the national high-tech
 * enterprise list, the provincial cultivation pool and the tech-SME list; rules check entries;
 * a round's screening lists the registered enterprises that have not applied.
 */
@ApiTags('registers')
@ApiBearerAuth()
@Controller()
export class RegistersController {
  constructor(@Inject(Registers) private readonly registers: Registers) {}

  @Post('v1/registers/:register')
  @HttpCode(201)
  @Roles('officer')
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary:
      "Import a register for the officer's jurisdiction (multipart `file`: CSV in UTF-8 or XLSX; columns 统一社会信用代码, 企业名称, 证书编号, 有效期起, 有效期至, optional 所属地区代码); a new version replaces the current one",
  })
  @ApiCreatedResponse({ description: 'the version now current', schema: IMPORTED_SCHEMA as never })
  async import(
    @Param('register') register: string,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const kind = registerKind(register);
    if (!request.isMultipart()) {
      throw new HttpError(
        errorResponse(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'send the register as multipart/form-data: a "file" part',
        ),
      );
    }
    const context = commandContext(request, caller);
    const part: MultipartFile | undefined = await request.file();
    if (!part || part.fieldname !== 'file') throw badRequest('file', 'a part named "file" is required');
    const bytes = await part.toBuffer();
    if (part.file.truncated)
      throw new HttpError(errorResponse(413, 'FILE_TOO_LARGE', 'the register file is larger than allowed'));
    return this.registers.import(kind, { name: part.filename, bytes }, caller, context);
  }

  @Get('v1/registers/:register')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary: 'The current version of a register for a jurisdiction (file digest, rows, import day)',
  })
  @ApiOkResponse({ schema: VERSION_SCHEMA as never })
  async current(
    @Param('register') register: string,
    @Query() query: RegisterQuery,
    @Caller() caller: Principal,
  ) {
    const kind = registerKind(register);
    const current = await this.registers.current(kind, caller, query.jurisdiction);
    if (!current)
      throw new HttpError(
        errorResponse(404, 'REGISTER_NOT_FOUND', 'no version of this register was imported'),
      );
    return current;
  }

  @Get('v1/rounds/:id/screening')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      "Screening: the enterprises with a valid entry in the registers the round's policy names, inside its jurisdiction, that have not applied (to invite)",
  })
  @ApiOkResponse({ schema: SCREENING_SCHEMA as never })
  screening(@Param('id', new ParseUUIDPipe()) id: string, @Caller() caller: Principal) {
    return this.registers.screen(id, caller);
  }
}
