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
  IssueAdmissionNoticeCommand,
  GetRoundDocumentQuery,
  type RoundDocumentModel,
  type RoundDocumentResult,
  type RoundDocumentStage,
  type RoundState,
} from '@engine/incubation';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiOkResponse,
  ApiPropertyOptional,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FinalizeRoundRequest } from '../publicity/publicity.controller';
import { commandContext } from '../http/command-context';
import { roundNoticeDocument } from '@engine/incubation/documents/notice.docx';
import { roundListCsv } from '@engine/incubation/documents/round-list.csv';
import { roundListWorkbook } from '@engine/incubation/documents/round-list.xlsx';
import { yearStatsWorkbook } from '@engine/incubation/documents/year-stats.xlsx';
import { listTitle, noticeTitle } from '@engine/incubation/documents/labels';
import { chinaDate, Clock, errorResponse, type Principal } from '@engine/platform';
import type { YearStats } from '@engine/read-models';
import { GetYearStatsQuery } from '../read/year-stats.query';
import { Caller, Roles } from '../auth/auth.decorators';
import { AsOfQuery } from '../http/as-of.query.dto';
import { HttpError } from '../http/http-error';
import { IsJurisdiction } from '../http/validators';
import { attachment } from './content-disposition';
import { StatusCountsDto } from '../rounds/rounds.dto';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const CSV = 'text/csv; charset=utf-8';

interface DocumentKind {
  stage: RoundDocumentStage;
  contentType: string;
  render: (model: RoundDocumentModel) => Promise<Buffer>;
  title: (model: RoundDocumentModel) => string;
}

/** The documents of a round, by file name (the path's last segment). */
export const ROUND_DOCUMENTS: Record<string, DocumentKind> = {
  'publicity-list.xlsx': {
    stage: 'publicity',
    contentType: XLSX,
    render: roundListWorkbook,
    title: listTitle,
  },
  'publicity-list.csv': { stage: 'publicity', contentType: CSV, render: roundListCsv, title: listTitle },
  'publicity-notice.docx': {
    stage: 'publicity',
    contentType: DOCX,
    render: roundNoticeDocument,
    title: noticeTitle,
  },
  'final-list.xlsx': { stage: 'final', contentType: XLSX, render: roundListWorkbook, title: listTitle },
  'final-list.csv': { stage: 'final', contentType: CSV, render: roundListCsv, title: listTitle },
  'admission-notice.docx': {
    stage: 'final',
    contentType: DOCX,
    render: roundNoticeDocument,
    title: noticeTitle,
  },
};

export class DistrictCountsDto extends StatusCountsDto {
  @ApiProperty({ example: 'js.wuxi.xinwu', description: "the applying enterprise's jurisdiction" })
  jurisdiction!: string;
}

export class ProgrammeCountsDto extends StatusCountsDto {
  @ApiProperty({ example: 'eaglet' }) programme!: string;
  @ApiProperty({ type: [DistrictCountsDto] }) byDistrict!: DistrictCountsDto[];
}

export class YearStatsDto extends StatusCountsDto {
  @ApiProperty({ example: 2026 }) year!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'js.wuxi',
    description: 'counted at or below this jurisdiction (null: everywhere)',
  })
  within!: string | null;
  @ApiProperty({ type: [ProgrammeCountsDto], description: 'per programme, in programme order' })
  byProgramme!: ProgrammeCountsDto[];
}

export class YearStatsQuery {
  @ApiProperty({ example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2999)
  year!: number;

  @ApiPropertyOptional({
    example: 'js.wuxi.xinwu',
    description: 'only enterprises at or below this jurisdiction (an officer: within their own)',
  })
  @IsOptional()
  @IsJurisdiction()
  jurisdiction?: string;
}

/** An OpenAPI response body of each media type, as a file. */
function binary(...types: string[]) {
  return Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));
}

const documentNotFound = (message: string) =>
  new HttpError(errorResponse(404, 'DOCUMENT_NOT_FOUND', message));

@ApiTags('documents')
@ApiBearerAuth()
@Controller('v1')
export class DocumentsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get('rounds/:id/documents/:name')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      "A round's official document, from its events alone (docs/documents.md): the publicity or final list as XLSX or CSV (UTF-8 with BOM), the publicity or admission notice as DOCX; ?asOf= gives it as it stood then",
  })
  @ApiParam({ name: 'name', enum: Object.keys(ROUND_DOCUMENTS) })
  @ApiOkResponse({ description: 'the file', content: binary(XLSX, DOCX, CSV) })
  async document(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('name') name: string,
    @Query() query: AsOfQuery,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const kind = Object.hasOwn(ROUND_DOCUMENTS, name) ? ROUND_DOCUMENTS[name] : undefined;
    // Reach first (the handler, reach.ts), so a round out of reach is "no such round" whatever is named.
    const { model }: RoundDocumentResult = await this.queries.execute(
      new GetRoundDocumentQuery(id, kind?.stage, query.asOf, caller),
    );
    if (!kind)
      throw documentNotFound(`no document ${name}; one of ${Object.keys(ROUND_DOCUMENTS).join(', ')}`);
    if (!model) {
      throw documentNotFound(
        kind.stage === 'publicity'
          ? `the round had not been publicised${query.asOf ? ` as of ${query.asOf}` : ''}`
          : `the round had not been finalized${query.asOf ? ` as of ${query.asOf}` : ''}`,
      );
    }
    const bytes = await kind.render(model);
    const extension = name.slice(name.lastIndexOf('.'));
    const stamp = model.asOf ? `-${model.asOf.replace(/[^0-9TZ]/g, '')}` : '';
    void reply
      .header('Content-Type', kind.contentType)
      .header(
        'Content-Disposition',
        attachment(
          `${name.slice(0, -extension.length)}-${id}${stamp}${extension}`,
          `${kind.title(model)}${stamp}${extension}`,
        ),
      )
      .header('Cache-Control', 'private, no-store');
    return bytes;
  }

  @Post('rounds/:id/admission-notice')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary:
      "Give a finalized round's admission notice its document number (文号), once; 409 DOCUMENT_NUMBER_TAKEN when the bureau used the number this year",
  })
  async admissionNotice(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: FinalizeRoundRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    if (!body?.documentNumber) {
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', 'documentNumber is required', [
          { field: 'documentNumber', message: 'must be given, e.g. 锡科发〔2026〕30号' },
        ]),
      );
    }
    const round: Aggregate<RoundState> = await this.commands.execute(
      new IssueAdmissionNoticeCommand(
        id,
        { documentNumber: body.documentNumber, ...(body.issuer ? { issuer: body.issuer } : {}) },
        caller,
        commandContext(request, caller),
      ),
    );
    return { documentNumber: round.state.final!.documentNumber, issuer: round.state.final!.issuer };
  }

  @Get('statistics/applications')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      "A year's applications counted by programme, district and status; officers see the enterprises within their jurisdiction",
  })
  @ApiOkResponse({ type: YearStatsDto })
  yearStats(@Query() query: YearStatsQuery, @Caller() caller: Principal): Promise<YearStatsDto> {
    return this.queries.execute(new GetYearStatsQuery(query.year, query.jurisdiction, caller));
  }

  @Get('statistics/applications.xlsx')
  @Roles('officer', 'auditor')
  @ApiOperation({ summary: 'The same table as an XLSX workbook for printing (A4 landscape)' })
  @ApiOkResponse({ description: 'the workbook', content: binary(XLSX) })
  async yearStatsWorkbook(
    @Query() query: YearStatsQuery,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const stats: YearStats = await this.queries.execute(
      new GetYearStatsQuery(query.year, query.jurisdiction, caller),
    );
    const now = this.clock.now();
    const bytes = await yearStatsWorkbook(stats, now, chinaDate(now));
    void reply
      .header('Content-Type', XLSX)
      .header(
        'Content-Disposition',
        attachment(`statistics-${query.year}.xlsx`, `${query.year}年度企业培育库申报统计表.xlsx`),
      )
      .header('Cache-Control', 'private, no-store');
    return bytes;
  }
}
