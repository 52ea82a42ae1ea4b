import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  type Aggregate,
  type ApplicationState,
  applicationIdFor,
  CreateApplicationCommand,
  GetApplicationHistoryQuery,
  GetApplicationQuery,
  type ApplicationInSight,
  enterpriseHistory,
  enterpriseView,
  expertView,
  fullView,
  viewSubject,
  type HistoryEntry,
  ReviewApplicationCommand,
  SubmitApplicationCommand,
  UpdateApplicationCommand,
  type CreatedApplication,
  PolicyLookup,
} from '@engine/incubation';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StoredEvent } from '@engine/event-store';
import type { Principal } from '@engine/platform';
import { Caller, Roles } from '../auth/auth.decorators';
import { AsOfQuery } from '../http/as-of.query.dto';
import { commandContext } from '../http/command-context';
import { NoBodyPipe } from '../http/no-body.pipe';
import {
  CreateApplicationRequest,
  ReviewApplicationRequest,
  UpdateApplicationRequest,
} from './application.request.dto';

const subject = (application: Aggregate<ApplicationState>) =>
  viewSubject(application.stream.slice('application-'.length), application.revision, application.state);

@ApiTags('applications')
@ApiBearerAuth()
@Controller('v1/applications')
export class ApplicationsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  /** Each role's own view of an application (domain/application/application-views.ts). */
  private viewFor(caller: Principal, application: Aggregate<ApplicationState>) {
    const seen = subject(application);
    if (caller.role === 'enterprise') {
      return enterpriseView(seen, this.policies.get(seen.state.created.policyVersion));
    }
    return fullView(seen);
  }

  @Post()
  @HttpCode(201)
  @Roles('enterprise')
  @ApiOperation({ summary: 'Open a draft application in a round (the enterprise itself)' })
  async create(
    @Body() body: CreateApplicationRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = commandContext(request, caller);
    // Decided by the store: one application per enterprise and round (natural-ids.ts).
    const id = applicationIdFor(body.roundId, body.creditCode);
    const { application, eligibility }: CreatedApplication = await this.commands.execute(
      new CreateApplicationCommand(id, { ...body }, caller, context),
    );
    void reply.header('ETag', `"${application.revision}"`).header('Location', `/v1/applications/${id}`);
    return { id, status: application.state.status, revision: application.revision, eligibility };
  }

  @Patch(':id')
  @Roles('enterprise')
  @ApiOperation({ summary: 'Replace the data of a draft or returned application' })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateApplicationRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new UpdateApplicationCommand(id, body.data, caller, commandContext(request, caller)),
    );
    void reply.header('ETag', `"${application.revision}"`);
    return this.viewFor(caller, application);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('enterprise')
  @ApiOperation({
    summary: 'Submit: runs the eligibility rules and pins data, explanation and policy version',
  })
  async submit(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(NoBodyPipe) _body: undefined,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new SubmitApplicationCommand(id, caller, commandContext(request, caller)),
    );
    void reply.header('ETag', `"${application.revision}"`);
    return {
      id,
      status: application.state.status,
      revision: application.revision,
      eligibility: application.state.eligibility,
    };
  }

  @Post(':id/reviews')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'District or city review: recommend, return for material, or reject' })
  async review(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReviewApplicationRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new ReviewApplicationCommand(id, { ...body }, caller, commandContext(request, caller)),
    );
    void reply.header('ETag', `"${application.revision}"`);
    return {
      id,
      status: application.state.status,
      revision: application.revision,
      ...(application.state.returned ? { respondBy: application.state.returned.respondBy } : {}),
    };
  }

  @Get(':id')
  @Roles('enterprise', 'officer', 'auditor', 'expert')
  @ApiOperation({ summary: 'An application now, or as it stood at ?asOf=' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AsOfQuery,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const application: ApplicationInSight = await this.queries.execute(
      new GetApplicationQuery(id, query.asOf, caller),
    );
    void reply.header('ETag', `"${application.revision}"`);
    if (application.sight === 'blind') {
      // Experts reach an application only through a seat on its panel, and see it blind.
      const seen = subject(application);
      return expertView(seen, caller.sub, this.policies.get(seen.state.created.policyVersion));
    }
    return this.viewFor(caller, application);
  }

  @Get(':id/history')
  @Roles('enterprise', 'officer', 'auditor')
  @ApiOperation({ summary: 'Every event of the application, with its hash' })
  async history(@Param('id', new ParseUUIDPipe()) id: string, @Caller() caller: Principal) {
    // Reach is checked by the query (reach.ts): the history only of an application the caller sees.
    const current: ApplicationInSight = await this.queries.execute(
      new GetApplicationQuery(id, undefined, caller),
    );
    const events: StoredEvent[] = await this.queries.execute(new GetApplicationHistoryQuery(id));
    const entries: HistoryEntry[] = events.map((e) => ({
      position: e.position,
      revision: e.revision,
      type: e.type,
      occurredAt: e.metadata.occurredAt,
      recordedAt: e.metadata.recordedAt,
      actor: e.metadata.actor,
      data: e.data,
      hash: e.hash,
    }));
    // The enterprise sees its own steps and the outcome, never the panel while it runs.
    return caller.role === 'enterprise'
      ? enterpriseHistory(entries, current.state, this.policies.get(current.state.created!.policyVersion))
      : entries;
  }
}
