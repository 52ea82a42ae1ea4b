import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  type Aggregate,
  type ApplicationState,
  RecordFinanceOpinionCommand,
  RecordNationalDecisionCommand,
} from '@engine/incubation';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@engine/platform';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { IsText } from '../http/text';

export class NationalDecisionRequest {
  @ApiProperty({ enum: ['recognized', 'rejected'] })
  @IsIn(['recognized', 'rejected'])
  decision!: 'recognized' | 'rejected';

  @ApiProperty({ example: '工信部企业函〔2024〕123号' })
  @IsText({ max: 100 })
  documentNumber!: string;
}

export class Financing {
  @ApiProperty({ description: 'yuan' })
  @IsInt()
  @Min(1)
  amount!: number;

  @ApiPropertyOptional({
    description:
      "the enterprise's rate, percent a year: the policy sets it (a promotional window wins on the day of the opinion); when given it must be that rate",
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  ratePercent?: number;

  @ApiPropertyOptional({
    description:
      "the partner bank's rate, percent a year: the city budget pays the margin above the enterprise's rate (贴息)",
    example: 3.85,
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  bankRatePercent?: number;

  @ApiPropertyOptional({ description: "years; the enterprise's requested term when absent" })
  @IsOptional()
  @IsNumber()
  @Min(0.25)
  @Max(30)
  termYears?: number;
}

export class FinanceOpinionRequest {
  @ApiProperty()
  @IsBoolean()
  approved!: boolean;

  @ApiProperty({ example: '同意纳入白名单' })
  @IsText({ max: 2000, multiline: true })
  opinion!: string;

  @ApiPropertyOptional({ type: Financing })
  @IsOptional()
  @ValidateNested()
  @Type(() => Financing)
  financing?: Financing;
}

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('v1/applications')
export class DecisionsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post(':id/national-decision')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: "Record the ministry's decision on a little-giant application" })
  async national(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: NationalDecisionRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new RecordNationalDecisionCommand(
        id,
        { decision: body.decision, documentNumber: body.documentNumber },
        caller,
        commandContext(request, caller),
      ),
    );
    return {
      status: application.state.status,
      membershipId: application.state.admission?.membershipId ?? null,
    };
  }

  @Post(':id/finance-opinion')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: "Record the finance bureau's opinion and the approved financing (tech-retrofit)" })
  async finance(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: FinanceOpinionRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const application: Aggregate<ApplicationState> = await this.commands.execute(
      new RecordFinanceOpinionCommand(
        id,
        { ...body, financing: body.financing && { ...body.financing } },
        caller,
        commandContext(request, caller),
      ),
    );
    return { status: application.state.status, financing: application.state.financing ?? null };
  }
}
