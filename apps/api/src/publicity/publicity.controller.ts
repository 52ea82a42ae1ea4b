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
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { RoundAggregate } from '@engine/incubation/aggregates/round.aggregate';
import { currentList } from '@engine/incubation/domain/round/round.decider';
import {
  FinalizeRoundCommand,
  GetObjectionQuery,
  RaiseObjectionCommand,
  ResolveObjectionCommand,
  StartPublicityCommand,
} from '@engine/incubation/use-cases/publicity/publicity.commands';
import { GetRoundQuery } from '@engine/incubation/use-cases/get-round/get-round.query';
import {
  errorResponse,
  jurisdictionCovers,
  maskPerson,
  PersonalDataVault,
  type Principal,
} from '@engine/platform';
import type { ApplicationAggregate } from '@engine/incubation/aggregates/application.aggregate';
import { GetApplicationQuery } from '@engine/incubation/use-cases/get-application/get-application.query';
import type { ObjectionView } from '@engine/incubation/use-cases/publicity/publicity.handlers';
import { Caller, Public, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { NoBodyPipe } from '../http/no-body.pipe';
import { IsCalendarDate } from '../http/validators';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { IsText } from '../http/text';

export class StartPublicityRequest {
  @ApiPropertyOptional({ example: '2026-05-06', description: 'first day; today when absent' })
  @IsOptional()
  @IsCalendarDate()
  startsOn?: string;
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

export class RaiseObjectionRequest {
  @ApiProperty({ type: Objector })
  @ValidateNested()
  @Type(() => Objector)
  objector!: Objector;

  @ApiProperty({ example: '营业收入数据不实' })
  // A complete objection in Chinese can be short: 营业收入数据不实 is 8 characters.
  @IsText({ min: 4, max: 5000, multiline: true })
  @Matches(/\S/, { message: 'grounds must not be blank' })
  grounds!: string;

  @ApiProperty({ type: [String], description: 'references to the evidence (documents, links)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsText({ max: 1000, multiline: true, each: true })
  evidence!: string[];
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

const roundNotFound = () => new HttpError(errorResponse(404, 'ROUND_NOT_FOUND', 'no such round'));

@ApiTags('publicity')
@ApiBearerAuth()
@Controller('v1')
export class PublicityController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

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
    const round: RoundAggregate = await this.commands.execute(
      new StartPublicityCommand(id, body?.startsOn, caller, commandContext(request, caller)),
    );
    const p = round.state.publicity!;
    return { publicity: { startsOn: p.startsOn, endsOn: p.endsOn }, proposed: round.state.proposed!.length };
  }

  @Post('rounds/:id/finalize')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Finalize the list (409 while publicity runs or an objection is open)' })
  async finalize(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(NoBodyPipe) _body: unknown,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const round: RoundAggregate = await this.commands.execute(
      new FinalizeRoundCommand(id, caller, commandContext(request, caller)),
    );
    return {
      status: 'finalized',
      admitted: round.state.final?.admitted.length ?? 0,
      outcome: round.state.final?.outcome,
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
    const caller = request.principal;
    const round: RoundAggregate = await this.queries.execute(new GetRoundQuery(id, query.asOf));
    const now: RoundAggregate = await this.queries.execute(new GetRoundQuery(id));
    if (!now.state.exists) throw roundNotFound();
    const privileged =
      caller?.role === 'auditor' ||
      (caller?.role === 'officer' && jurisdictionCovers(caller.jurisdiction!, now.state.round!.jurisdiction));
    // Anyone may read the list while it is publicised (that is what publicity means).
    const public_ = !!now.state.publicity && !now.state.final;
    if (!privileged && !public_) throw roundNotFound();
    if (!round.state.exists) return [];
    const stage = query.stage ?? (round.state.final ? 'final' : 'proposed');
    const entries = stage === 'final' ? (round.state.final?.admitted ?? []) : currentList(round.state);
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
    const context = commandContext(request, anonymous);
    const objectionId: string = await this.commands.execute(
      new RaiseObjectionCommand(
        randomUUID(),
        id,
        { ...body, objector: { ...body.objector } },
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
    const view: ObjectionView | undefined = await this.queries.execute(new GetObjectionQuery(id));
    const notFound = () => new HttpError(errorResponse(404, 'OBJECTION_NOT_FOUND', 'no such objection'));
    if (!view) throw notFound();
    const application: ApplicationAggregate = await this.queries.execute(
      new GetApplicationQuery(view.raised.applicationId),
    );
    const roundJurisdiction = view.round.round!.jurisdiction;
    const full =
      caller.role === 'auditor' ||
      (caller.role === 'officer' && jurisdictionCovers(caller.jurisdiction!, roundJurisdiction));
    const masked =
      !full &&
      caller.role === 'officer' &&
      jurisdictionCovers(caller.jurisdiction!, application.state.created!.jurisdiction);
    if (!full && !masked) throw notFound();
    // Opened only now, for this answer: a forgotten objector is unreadable (null) everywhere.
    const person = (await this.vault.open(view.raised.objector)) as
      { name: string; idNumber: string; phone: string } | undefined;
    return {
      id: view.raised.objectionId,
      applicationId: view.raised.applicationId,
      roundId: view.round.round!.roundId,
      raisedOn: view.raised.raisedOn,
      grounds: view.raised.grounds,
      evidence: view.raised.evidence,
      objector: person ? (full ? person : maskPerson(person)) : null,
      objectorForgotten: !person,
      resolution: view.resolution ?? null,
    };
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
