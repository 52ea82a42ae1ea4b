import { Controller, Get, Inject, Query } from '@nestjs/common';
import { PROGRAMMES } from '@engine/incubation';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { chinaDate, Clock, type Principal } from '@engine/platform';
import type { MembershipRow } from '@engine/read-models';
import { QueryBus } from '@nestjs/cqrs';
import { ListMembershipsQuery } from '../read/list-memberships.query';
import { Caller, Roles } from '../auth/auth.decorators';
import { IsCreditCode, IsJurisdiction } from '../http/validators';

export class IndicatorsQuery {
  @ApiPropertyOptional({
    example: 'js.wuxi.xinwu',
    description: 'enterprises at or below it (an officer: within theirs)',
  })
  @IsOptional()
  @IsJurisdiction()
  jurisdiction?: string;

  @ApiPropertyOptional({ description: 'one enterprise' })
  @IsOptional()
  @IsCreditCode()
  creditCode?: string;
}

export class InnovationIndicatorDto {
  @ApiProperty() creditCode!: string;
  @ApiProperty({ enum: ['pool-membership'], description: 'label group `indicators`' }) indicator!: string;
  @ApiProperty({ enum: PROGRAMMES }) programme!: string;
  @ApiProperty({ format: 'uuid' }) membershipId!: string;
  @ApiProperty({ example: 'js.wuxi.xinwu' }) jurisdiction!: string;
  @ApiProperty({ example: '2026-05-15' }) validFrom!: string;
  @ApiProperty({ example: '2029-05-14', description: 'inclusive' }) validUntil!: string;
}

export class InnovationIndicatorsDto {
  @ApiProperty({ example: '2026-12-07', description: 'today (China): the day the indicators hold on' })
  on!: string;
  @ApiProperty({ type: [InnovationIndicatorDto] }) items!: InnovationIndicatorDto[];
}

/**
 * Innovation points (创新积分): membership of a cultivation pool counts as an auxiliary
 * indicator for as long as it is valid. Other systems read it here (and are told of changes by
 * webhook: MembershipGranted, MembershipRenewed, MembershipExpired, MembershipExited).
 */
@ApiTags('memberships')
@ApiBearerAuth()
@Controller('v1/innovation-indicators')
export class InnovationIndicatorsController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('officer', 'auditor')
  @ApiOperation({
    summary:
      'Pool memberships valid today, as auxiliary innovation-points indicators (创新积分辅助指标), within the caller’s jurisdiction',
  })
  @ApiOkResponse({ type: InnovationIndicatorsDto })
  async list(@Query() query: IndicatorsQuery, @Caller() caller: Principal): Promise<InnovationIndicatorsDto> {
    const on = chinaDate(this.clock.now());
    const rows: MembershipRow[] = await this.queries.execute(
      new ListMembershipsQuery({ jurisdiction: query.jurisdiction, creditCode: query.creditCode }, caller),
    );
    // Valid today: active (not exited, not expired) and within its validity. Only today: the
    // read model keeps a membership's status, not the day it ended.
    const items = rows
      .filter((m) => m.status === 'active' && m.validFrom <= on && on <= m.validUntil)
      .map((m) => ({
        creditCode: m.creditCode,
        indicator: 'pool-membership',
        programme: m.programme,
        membershipId: m.id,
        jurisdiction: m.jurisdiction,
        validFrom: m.validFrom,
        validUntil: m.validUntil,
      }));
    return { on, items };
  }
}
