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
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoundAggregate } from '@engine/incubation/aggregates/round.aggregate';
import { roundStatus } from '@engine/incubation/domain/round/round.decider';
import { roundIdFor } from '@engine/incubation/use-cases/natural-ids';
import { CloseRoundCommand } from '@engine/incubation/use-cases/close-round/close-round.command';
import { CreateRoundCommand } from '@engine/incubation/use-cases/create-round/create-round.command';
import { GetRoundQuery } from '@engine/incubation/use-cases/get-round/get-round.query';
import { Clock, errorResponse, jurisdictionCovers, type Principal } from '@engine/platform';
import { ReadModelQueries } from '@engine/read-models';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { NoBodyPipe } from '../http/no-body.pipe';
import { AsOfQuery } from '../http/as-of.query.dto';
import { CreateRoundRequest } from './create-round.request.dto';

const notFound = () => new HttpError(errorResponse(404, 'ROUND_NOT_FOUND', 'no such round'));

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

  @Post()
  @HttpCode(201)
  @Roles('officer')
  @ApiOperation({ summary: 'Open a round (申报批次); pins the policy version in force when it opens' })
  async create(
    @Body() body: CreateRoundRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    if (!jurisdictionCovers(caller.jurisdiction!, body.jurisdiction)) {
      throw new HttpError(
        errorResponse(403, 'FORBIDDEN', 'a round is issued at or below your own jurisdiction'),
      );
    }
    const context = commandContext(request, caller);
    // Decided by the store: the id is the round's identity (natural-ids.ts).
    const id = roundIdFor(body.programme, body.jurisdiction, body.year, body.batch);
    const round: RoundAggregate = await this.commands.execute(new CreateRoundCommand(id, body, context));
    return {
      id,
      status: roundStatus(round.state, this.clock.now()),
      policyVersion: round.state.round!.policyVersion,
    };
  }

  @Get(':id')
  @Roles('officer', 'auditor')
  @ApiOperation({ summary: 'A round, now or as it stood at ?asOf=' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AsOfQuery,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const round: RoundAggregate = await this.queries.execute(new GetRoundQuery(id, query.asOf));
    this.assertReach(round, caller);
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
  async stats(@Param('id', new ParseUUIDPipe()) id: string, @Caller() caller: Principal) {
    const round: RoundAggregate = await this.queries.execute(new GetRoundQuery(id));
    this.assertReach(round, caller);
    const issuer = round.state.round!.jurisdiction;
    const within =
      caller.role === 'officer' && !jurisdictionCovers(caller.jurisdiction!, issuer)
        ? caller.jurisdiction
        : undefined;
    return this.readModels.roundStats(id, within);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Close the round to submissions before its window ends' })
  async close(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(NoBodyPipe) _body: undefined,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const current: RoundAggregate = await this.queries.execute(new GetRoundQuery(id));
    this.assertReach(current, caller);
    if (!jurisdictionCovers(caller.jurisdiction!, current.state.round!.jurisdiction)) {
      throw new HttpError(
        errorResponse(403, 'FORBIDDEN', 'only officers of the issuing jurisdiction close a round'),
      );
    }
    const round: RoundAggregate = await this.commands.execute(
      new CloseRoundCommand(id, 'closed by an officer', commandContext(request, caller)),
    );
    return { id, status: roundStatus(round.state, this.clock.now()) };
  }

  /** Officers see rounds of their own jurisdiction, above it, or below it; auditors all. */
  private assertReach(round: RoundAggregate, caller: Principal): void {
    if (!round.state.exists) throw notFound();
    if (caller.role === 'auditor') return;
    const j = round.state.round!.jurisdiction;
    if (!(jurisdictionCovers(caller.jurisdiction!, j) || jurisdictionCovers(j, caller.jurisdiction!)))
      throw notFound();
  }
}
