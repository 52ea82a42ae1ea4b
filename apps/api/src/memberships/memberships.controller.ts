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
  type Aggregate,
  type MembershipState,
  EXIT_REASONS,
  type ExitReason,
  ExitMembershipCommand,
  FileAnnualReportCommand,
} from '@engine/incubation';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@engine/platform';
import type { MembershipRow } from '@engine/read-models';
import { ListMembershipsQuery } from '../read/list-memberships.query';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { IsJurisdiction } from '../http/validators';
import { PROGRAMME_CODES } from '../rounds/create-round.request.dto';
import { IsText } from '../http/text';

export class MembershipsQuery {
  @ApiPropertyOptional({ enum: PROGRAMME_CODES })
  @IsOptional()
  @IsIn(PROGRAMME_CODES)
  programme?: string;

  @ApiPropertyOptional({ example: 'js.wuxi' })
  @IsOptional()
  @IsJurisdiction()
  jurisdiction?: string;

  @ApiPropertyOptional({ enum: ['active', 'expired', 'exited'] })
  @IsOptional()
  @IsIn(['active', 'expired', 'exited'])
  status?: string;
}

export class AnnualReportRequest {
  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ description: "the year's figures (revenue, R&D, employees...)" })
  @IsObject()
  data!: Record<string, unknown>;
}

export class ExitRequest {
  @ApiProperty({ enum: EXIT_REASONS })
  @IsIn(EXIT_REASONS as unknown as string[])
  reason!: ExitReason;

  @ApiPropertyOptional()
  @IsOptional()
  @IsText({ min: 0, max: 2000, multiline: true })
  note?: string;
}

@ApiTags('memberships')
@ApiBearerAuth()
@Controller('v1/memberships')
export class MembershipsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('officer', 'auditor')
  @ApiOperation({ summary: "Memberships (入库/认定) within the caller's jurisdiction" })
  async list(@Query() query: MembershipsQuery, @Caller() caller: Principal) {
    const rows: MembershipRow[] = await this.queries.execute(new ListMembershipsQuery(query, caller));
    return rows.map(
      ({ id, creditCode, programme, status, validFrom, validUntil, exitReason, lostReReviewRight }) => ({
        id,
        creditCode,
        programme,
        status,
        validFrom,
        validUntil,
        exitReason,
        lostReReviewRight,
      }),
    );
  }

  @Post(':id/annual-reports')
  @HttpCode(201)
  @Roles('enterprise')
  @ApiOperation({
    summary: "File the year's data (by the policy's due date, or the right to re-review is lost)",
  })
  async report(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AnnualReportRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    await this.commands.execute(
      new FileAnnualReportCommand(
        id,
        { year: body.year, data: { ...body.data } },
        caller,
        commandContext(request, caller),
      ),
    );
    return { membershipId: id, year: body.year };
  }

  @Post(':id/exit')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({
    summary: 'End a membership (出库) with one of the contract reasons; fraud bans new applications',
  })
  async exit(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ExitRequest,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
  ) {
    const membership: Aggregate<MembershipState> = await this.commands.execute(
      new ExitMembershipCommand(
        id,
        { reason: body.reason, note: body.note ?? null },
        caller,
        commandContext(request, caller),
      ),
    );
    return { id, status: membership.state.status };
  }
}
