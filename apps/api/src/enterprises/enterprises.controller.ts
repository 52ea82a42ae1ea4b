import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  type Aggregate,
  type EnterpriseState,
  GetEnterpriseQuery,
  RegisterEnterpriseCommand,
} from '@engine/incubation';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AnnualReportDue, GetAnnualReportsQuery } from '@engine/incubation';
import type { Principal } from '@engine/platform';
import { ReadModelQueries } from '@engine/read-models';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { EnterpriseDirectory } from '../read/enterprise-directory';
import { RegisterEnterpriseRequest } from './register-enterprise.request.dto';

@ApiTags('enterprises')
@ApiBearerAuth()
@Controller('v1/enterprises')
export class EnterprisesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(EnterpriseDirectory) private readonly directory: EnterpriseDirectory,
    @Inject(ReadModelQueries) private readonly memberships: ReadModelQueries,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('enterprise', 'officer')
  @ApiOperation({
    summary: 'Register an enterprise (the enterprise itself, or an officer over its jurisdiction)',
  })
  async register(
    @Body() body: RegisterEnterpriseRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    await this.commands.execute(new RegisterEnterpriseCommand(body, caller, commandContext(request, caller)));
    return { creditCode: body.creditCode };
  }

  @Get(':creditCode')
  @Roles('enterprise', 'officer', 'auditor')
  @ApiOperation({
    summary:
      'An enterprise with its applications, memberships (with the annual reports each owes: year, due date, filed / missed / open) and timeline (newest first, at most 100 entries)',
  })
  async get(
    @Param('creditCode') creditCode: string,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const enterprise: Aggregate<EnterpriseState> = await this.queries.execute(
      new GetEnterpriseQuery(creditCode, undefined, caller),
    );
    const state = enterprise.state;
    void reply.header('ETag', `"${enterprise.revision}"`);
    return {
      creditCode: state.creditCode,
      name: state.name,
      jurisdiction: state.jurisdiction,
      establishedOn: state.establishedOn,
      applications: await this.directory.applicationsOf(creditCode),
      memberships: await Promise.all(
        (await this.memberships.memberships({ creditCode })).map(async (m) => ({
          id: m.id,
          programme: m.programme,
          status: m.status,
          validFrom: m.validFrom,
          validUntil: m.validUntil,
          lostReReviewRight: m.lostReReviewRight,
          // Each year's report with its due date, filed or not (the enterprise files it from here).
          annualReports: (await this.queries.execute(new GetAnnualReportsQuery(m.id))) as AnnualReportDue[],
        })),
      ),
      ...(state.bannedUntil ? { bannedUntil: state.bannedUntil } : {}),
      timeline: await this.directory.timelineOf(creditCode),
    };
  }
}
