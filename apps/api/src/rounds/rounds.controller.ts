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
  roundStatus,
  roundIdFor,
  CloseRoundCommand,
  CreateRoundCommand,
  GetRoundQuery,
  DrawPanelCommand,
  GetPanelsToDrawQuery,
  type RoundInReach,
  DomainError,
  type ApplicationState,
} from '@engine/incubation';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock, errorResponse, type Principal } from '@engine/platform';
import { InvalidCursorError, ReadModelQueries } from '@engine/read-models';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { NoBodyPipe } from '../http/no-body.pipe';
import { ListRoundsQuery } from '../read/list-rounds.query';
import { AsOfQuery } from '../http/as-of.query.dto';
import { CreateRoundRequest } from './create-round.request.dto';
import {
  BatchPanelsDto,
  RoundApplicationsPageDto,
  RoundApplicationsQuery,
  RoundClosedDto,
  RoundCreatedDto,
  RoundDto,
  RoundListPageDto,
  RoundListQuery,
  RoundStatsDto,
} from './rounds.dto';

const badCursor = (error: InvalidCursorError) =>
  new HttpError(
    errorResponse(400, 'VALIDATION_FAILED', `cursor: ${error.message}`, [
      { field: 'cursor', message: error.message },
    ]),
  );

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('v1/rounds')
export class RoundsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ReadModelQueries) private readonly readModels: ReadModelQueries,
  ) {}

  @Get()
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      'Rounds newest first, filtered by programme, year, status and issuing jurisdiction, with application counts; officers see rounds issued at, above or below their jurisdiction',
  })
  @ApiOkResponse({ type: RoundListPageDto })
  async list(@Query() query: RoundListQuery, @Caller() caller: Principal): Promise<RoundListPageDto> {
    try {
      return await this.queries.execute(
        new ListRoundsQuery(
          {
            programme: query.programme,
            year: query.year,
            status: query.status,
            jurisdiction: query.jurisdiction,
            cursor: query.cursor,
            limit: query.limit ?? 50,
          },
          caller,
        ),
      );
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badCursor(error);
      throw error;
    }
  }

  @Post()
  @HttpCode(201)
  @Roles('officer')
  @ApiOperation({ summary: 'Open a round (申报批次); pins the policy version in force when it opens' })
  @ApiCreatedResponse({ type: RoundCreatedDto })
  async create(
    @Body() body: CreateRoundRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const context = commandContext(request, caller);
    // Decided by the store: the id is the round's identity (natural-ids.ts).
    const id = roundIdFor(body.programme, body.jurisdiction, body.year, body.batch);
    const round: Aggregate<RoundState> = await this.commands.execute(
      new CreateRoundCommand(id, body, context, caller),
    );
    return {
      id,
      status: roundStatus(round.state, this.clock.now()),
      policyVersion: round.state.round!.policyVersion,
    };
  }

  @Get(':id')
  @Roles('officer', 'auditor')
  @ApiOperation({ summary: 'A round, now or as it stood at ?asOf=' })
  @ApiOkResponse({ type: RoundDto })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AsOfQuery,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const round: RoundInReach = await this.queries.execute(new GetRoundQuery(id, query.asOf, caller));
    void reply.header('ETag', `"${round.revision}"`);
    const r = round.state.round!;
    const at = query.asOf ? new Date(query.asOf) : this.clock.now();
    return {
      id,
      programme: r.programme,
      year: r.year,
      batch: r.batch,
      title: r.title,
      jurisdiction: r.jurisdiction,
      opensAt: r.opensAt,
      closesAt: r.closesAt,
      quota: r.quota,
      status: roundStatus(round.state, at),
      policyVersion: r.policyVersion,
      revision: round.revision,
      ...(round.state.publicity
        ? {
            publicity: {
              startsOn: round.state.publicity.startsOn,
              endsOn: round.state.publicity.endsOn,
              documentNumber: round.state.publicity.documentNumber ?? null,
              provisional: round.state.publicity.provisional ?? false,
              proposed: round.state.proposed?.length ?? 0,
              objections: (round.state.objections ?? []).map((o) => ({
                id: o.objectionId,
                applicationId: o.applicationId,
                raisedOn: o.raisedOn,
                resolution: o.resolution ?? null,
              })),
            },
          }
        : {}),
      ...(round.state.final
        ? {
            final: {
              finalizedOn: round.state.final.finalizedOn,
              outcome: round.state.final.outcome,
              admitted: round.state.final.admitted.length,
              documentNumber: round.state.final.documentNumber ?? null,
            },
          }
        : {}),
    };
  }

  @Get(':id/stats')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      "A round's applications counted by status, overall and per district; officers below the issuing jurisdiction see their own part",
  })
  @ApiOkResponse({ type: RoundStatsDto })
  async stats(@Param('id', new ParseUUIDPipe()) id: string, @Caller() caller: Principal) {
    const round: RoundInReach = await this.queries.execute(new GetRoundQuery(id, undefined, caller));
    return this.readModels.roundStats(id, round.within);
  }

  @Get(':id/applications')
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      "A round's applications for the officers' table: filter by status, district and eligibility, search a name or credit code, sort, page; with the total. Officers below the issuer see their own part",
  })
  @ApiOkResponse({ type: RoundApplicationsPageDto })
  async applications(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: RoundApplicationsQuery,
    @Caller() caller: Principal,
  ): Promise<RoundApplicationsPageDto> {
    const round: RoundInReach = await this.queries.execute(new GetRoundQuery(id, undefined, caller));
    try {
      return await this.readModels.roundApplications({
        roundId: id,
        within: round.within,
        status: query.status,
        district: query.district,
        q: query.q,
        eligible: query.eligible,
        sort: query.sort ?? 'created',
        cursor: query.cursor,
        offset: query.offset,
        limit: query.limit ?? 50,
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badCursor(error);
      throw error;
    }
  }

  @Post(':id/panels')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary:
      'Draw the expert panel of every application of the round accepted for expert review and not yet drawn (each draw as POST /v1/applications/:id/panel); a repeat draws nothing twice',
  })
  @ApiOkResponse({ type: BatchPanelsDto })
  async drawPanels(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(NoBodyPipe) _body: undefined,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ): Promise<BatchPanelsDto> {
    const toDraw: string[] = await this.queries.execute(new GetPanelsToDrawQuery(id, caller));
    const context = commandContext(request, caller);
    const result: BatchPanelsDto = { drawn: [], skipped: [], failed: [] };
    for (const applicationId of toDraw) {
      try {
        const application: Aggregate<ApplicationState> = await this.commands.execute(
          new DrawPanelCommand(applicationId, undefined, caller, {
            ...context,
            ...(context.idempotencyKey
              ? { idempotencyKey: `${context.idempotencyKey}/${applicationId}` }
              : {}),
          }),
        );
        const panel = application.state.panel!;
        result.drawn.push({
          applicationId,
          experts: panel.members.map((m) => m.expertId),
          dueOn: panel.members[0]?.dueOn ?? '',
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const entry = { applicationId, code: error.code, message: error.message };
        if (error.code === 'PANEL_EXISTS' || error.code === 'NOT_IN_EXPERT_REVIEW')
          result.skipped.push(entry);
        else result.failed.push(entry);
      }
    }
    return result;
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Close the round to submissions before its window ends' })
  @ApiOkResponse({ type: RoundClosedDto })
  async close(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(NoBodyPipe) _body: undefined,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const round: Aggregate<RoundState> = await this.commands.execute(
      new CloseRoundCommand(id, 'closed by an officer', commandContext(request, caller), caller),
    );
    return { id, status: roundStatus(round.state, this.clock.now()) };
  }
}
