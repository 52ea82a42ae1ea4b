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
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import {
  type Aggregate,
  isOverdue,
  type ApplicationState,
  ReplaceOverdueExpertCommand,
  GetApplicationQuery,
  GetRoundPanelsQuery,
  GetExpertNamesQuery,
  type RoundPanelsScope,
} from '@engine/incubation';
import { chinaDate, Clock, type Principal } from '@engine/platform';
import { ReadModelQueries } from '@engine/read-models';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';

export class PanelProgressQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'skip this many applications' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class PanelSeatDto {
  @ApiProperty({ example: 'expert-0001' }) expertId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '王教授',
    description: "the expert's name in the pool (officers and auditors only; null when unknown)",
  })
  expertName!: string | null;
  @ApiProperty({ example: '2026-05-20', description: 'last day to score' }) dueOn!: string;
  @ApiProperty() scored!: boolean;
  @ApiProperty({ description: 'the last day passed without a score: the officer may replace the expert' })
  overdue!: boolean;
  @ApiProperty({
    enum: ['undeclared', 'none', 'conflict'],
    description: '回避声明: not made yet, no conflict, or a declared conflict (a replacement follows)',
  })
  declaration!: 'undeclared' | 'none' | 'conflict';
}

export class PanelProgressDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty() district!: string;
  @ApiProperty({ description: 'a panel was drawn' }) drawn!: boolean;
  @ApiProperty({ description: 'panel size (0 before the draw)' }) size!: number;
  @ApiProperty({ description: 'seats scored' }) scored!: number;
  @ApiProperty({ description: 'seats overdue' }) overdue!: number;
  @ApiProperty({ type: [PanelSeatDto] }) seats!: PanelSeatDto[];
}

export class PanelProgressPageDto {
  @ApiProperty({ type: [PanelProgressDto] }) items!: PanelProgressDto[];
  @ApiProperty({ description: 'applications of the round in expert review' }) total!: number;
  @ApiProperty() offset!: number;
}

export class ReplaceExpertRequest {
  @ApiProperty({ example: 'expert-0001', description: 'the overdue expert whose seat is drawn again' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'expertId must be an expert id' })
  expertId!: string;
}

export class ExpertReplacedDto {
  @ApiProperty({ example: 'expert-0001' }) replaced!: string;
  @ApiProperty({ type: [String], description: 'the panel now' }) experts!: string[];
}

/**
 * The officers' view of a round's expert review: who was drawn for each application, who scored,
 * who let the deadline pass; and replacing an overdue expert on the officer's word (the
 * expert-review saga does the same by itself once the overdue timer fires).
 */
@ApiTags('expert review')
@ApiBearerAuth()
@Controller('v1')
export class RoundPanelsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ReadModelQueries) private readonly readModels: ReadModelQueries,
  ) {}

  @Get('rounds/:id/panels')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      "Expert-review progress of a round: each application in expert review with its panel's seats (drawn, scored, overdue), paged",
  })
  @ApiOkResponse({ type: PanelProgressPageDto })
  async progress(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: PanelProgressQuery,
    @Caller() caller: Principal,
  ): Promise<PanelProgressPageDto> {
    // Access lives in the incubation context (reach.ts): all of the round, or the caller's part.
    const { within }: RoundPanelsScope = await this.queries.execute(new GetRoundPanelsQuery(id, caller));
    const page = await this.readModels.roundApplications({
      roundId: id,
      within,
      status: 'in-expert-review',
      sort: 'district',
      offset: query.offset ?? 0,
      limit: query.limit ?? 50,
    });
    const today = chinaDate(this.clock.now());
    const applications: Aggregate<ApplicationState>[] = await Promise.all(
      page.items.map((row) => this.queries.execute(new GetApplicationQuery(row.applicationId))),
    );
    const names: Map<string, string> = await this.queries.execute(
      new GetExpertNamesQuery(
        applications.flatMap((a) => a.state.panel?.members.map((m) => m.expertId) ?? []),
      ),
    );
    const items = await Promise.all(
      page.items.map(async (row, i) => {
        const application = applications[i];
        const seats = seatsOf(application.state, today, names);
        return {
          applicationId: row.applicationId,
          creditCode: row.creditCode,
          name: row.name,
          district: row.district,
          drawn: !!application.state.panel,
          size: application.state.panel?.size ?? 0,
          scored: seats.filter((s) => s.scored).length,
          overdue: seats.filter((s) => s.overdue).length,
          seats,
        };
      }),
    );
    return { items, total: page.total, offset: page.offset };
  }

  @Post('applications/:id/panel/replacements')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary:
      'Replace an expert whose scoring deadline passed without a score: one fresh draw from the pool, conflicts and earlier draws excluded (409 EXPERT_NOT_OVERDUE otherwise)',
  })
  @ApiOkResponse({ type: ExpertReplacedDto })
  async replace(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReplaceExpertRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ): Promise<ExpertReplacedDto> {
    // The handler checks the officer's reach over the application and its round.
    await this.commands.execute(
      new ReplaceOverdueExpertCommand(id, body.expertId, commandContext(request, caller), caller),
    );
    const after: Aggregate<ApplicationState> = await this.queries.execute(new GetApplicationQuery(id));
    return { replaced: body.expertId, experts: after.state.panel?.members.map((m) => m.expertId) ?? [] };
  }
}

function seatsOf(state: ApplicationState, today: string, names: Map<string, string>): PanelSeatDto[] {
  return (state.panel?.members ?? []).map((m) => ({
    expertId: m.expertId,
    expertName: names.get(m.expertId) ?? null,
    dueOn: m.dueOn,
    scored: m.score !== undefined,
    overdue: isOverdue(state, m.expertId, today),
    declaration: m.declaration ?? 'undeclared',
  }));
}
