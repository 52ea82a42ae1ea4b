import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  type Aggregate,
  type ApplicationState,
  DeclareConflictCommand,
  DrawPanelCommand,
  RegisterExpertCommand,
  ScoreApplicationCommand,
} from '@engine/incubation';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@engine/platform';
import { ReadModelQueries } from '@engine/read-models';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { IsCreditCode } from '../http/validators';
import { IsText } from '../http/text';

export class RegisterExpertRequest {
  @ApiProperty({ example: 'expert-0001' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'id must be 1-64 letters, digits, dots, dashes or underscores',
  })
  id!: string;

  @ApiProperty({ example: '王教授' })
  @IsText({ max: 100 })
  name!: string;

  @ApiProperty({
    example: 'electronics',
    description: "`finance` counts towards the panel's financial experts",
  })
  @IsText({ max: 60 })
  field!: string;

  @ApiProperty({ type: [String], description: 'credit codes of enterprises the expert is affiliated with' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsCreditCode({ each: true })
  affiliations!: string[];
}

export class DrawPanelRequest {
  @ApiPropertyOptional({ description: "panel size; at least the policy's" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(25)
  size?: number;
}

export class IndicatorScoreRequest {
  @ApiProperty({ example: 'innovation', description: "an indicator's code on the policy's scoring sheet" })
  @IsString()
  @MaxLength(40)
  code!: string;

  @ApiProperty({ example: 26, description: "an integer from 0 to the indicator's maxScore" })
  @IsInt()
  @Min(0)
  @Max(100)
  score!: number;

  @ApiPropertyOptional({ example: '核心技术自主可控，专利质量较高' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ScoreRequest {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    description: "the score, when the programme's policy has no scoring sheet",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({
    type: [IndicatorScoreRequest],
    description:
      'every indicator of the scoring sheet, when the policy has one; the engine computes the total (a typed score is refused)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => IndicatorScoreRequest)
  indicators?: IndicatorScoreRequest[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsText({ min: 0, max: 2000, multiline: true })
  comment?: string;
}

export class ConflictDeclarationRequest {
  @ApiProperty({
    description: 'true: I have a conflict of interest (a replacement is drawn); false: I have none',
  })
  @IsBoolean()
  conflict!: boolean;

  @ApiPropertyOptional({
    example: '本人曾担任该企业技术顾问',
    description: 'required when declaring a conflict',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

@ApiTags('expert review')
@ApiBearerAuth()
@Controller('v1')
export class ExpertReviewController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ReadModelQueries) private readonly readModels: ReadModelQueries,
  ) {}

  @Post('experts')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Add an expert to the pool' })
  async register(
    @Body() body: RegisterExpertRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    await this.commands.execute(new RegisterExpertCommand({ ...body }, commandContext(request, caller)));
    return { id: body.id };
  }

  @Get('assignments')
  @Roles('expert')
  @ApiOperation({ summary: "The caller's seats on expert panels (blind: application ids and due dates)" })
  assignments(@Caller() caller: Principal) {
    return this.readModels.assignments(caller.sub);
  }

  @Post('applications/:id/panel')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Draw the expert panel at random (conflicts excluded; the seed is recorded)' })
  async draw(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DrawPanelRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new DrawPanelCommand(id, body?.size, caller, commandContext(request, caller)),
    );
    const panel = application.state.panel!;
    return { experts: panel.members.map((m) => m.expertId), dueOn: panel.members[0]?.dueOn };
  }

  @Post('applications/:id/scores')
  @HttpCode(200)
  @Roles('expert')
  @ApiOperation({
    summary:
      "Score an application on your panel, once: an integer 0-100, or each indicator of the policy's scoring sheet (the engine computes the total)",
  })
  async score(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ScoreRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new ScoreApplicationCommand(
        id,
        body.score,
        body.comment ?? null,
        caller,
        commandContext(request, caller),
        body.indicators?.map((i) => ({ code: i.code, score: i.score, comment: i.comment ?? null })),
      ),
    );
    const seat = application.state.panel?.members.find((m) => m.expertId === caller.sub);
    return { status: application.state.status, ...(seat?.score !== undefined ? { score: seat.score } : {}) };
  }

  @Post('applications/:id/conflict-declaration')
  @HttpCode(200)
  @Roles('expert')
  @ApiOperation({
    summary:
      'Declare, before scoring, whether you have a conflict of interest (回避声明); a declared conflict draws your replacement',
  })
  async declare(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ConflictDeclarationRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    await this.commands.execute(
      new DeclareConflictCommand(
        id,
        { conflict: body.conflict, reason: body.reason ?? null },
        caller,
        commandContext(request, caller),
      ),
    );
    return { conflict: body.conflict, replacementRequested: body.conflict };
  }
}
