import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { type FinancingTermsView, GetFinancingTermsQuery } from '@engine/incubation';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@engine/platform';
import { Caller, Roles } from '../auth/auth.decorators';

class DateWindowDto {
  @ApiProperty({ example: '2021-04-01' }) from!: string;
  @ApiProperty({ example: '2021-12-31' }) to!: string;
}

class PromotionalRateDto extends DateWindowDto {
  @ApiProperty({ example: 2 }) ratePercent!: number;
}

class ProjectDto {
  @ApiProperty({ nullable: true, type: String, example: '扩产技术改造项目' }) name!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'yuan' }) totalInvestment!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'yuan' }) requestedFinancing!: number | null;
}

class ApprovedFinancingDto {
  @ApiProperty({ description: 'yuan' }) amount!: number;
  @ApiProperty({
    description: "the enterprise's yearly rate, percent (the policy's on the day of the opinion)",
  })
  ratePercent!: number;
  @ApiProperty({ description: 'years (at most the policy’s maxTermYears)' }) termYears!: number;
  @ApiProperty({
    type: DateWindowDto,
    nullable: true,
    description: 'the promotional window that set the rate',
  })
  promotion!: DateWindowDto | null;
  @ApiProperty({ nullable: true, type: Number, description: "the partner bank's yearly rate, percent" })
  bankRatePercent!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'yuan a year the city budget pays (贴息)' })
  yearlyInterestSubsidy!: number | null;
  @ApiPropertyOptional({ description: 'the cap it was checked against, yuan' }) cap?: number;
}

class FinancingPolicyTermsDto {
  @ApiProperty({ description: 'yuan per project' }) maxAmount!: number;
  @ApiProperty({ description: "percent of the project's total investment" }) maxSharePercent!: number;
  @ApiPropertyOptional() maxFixedAssetSharePercent?: number;
  @ApiPropertyOptional() maxWorkingCapitalSharePercent?: number;
  @ApiProperty({ description: "the enterprise's default yearly rate, percent" }) ratePercent!: number;
  @ApiPropertyOptional({ type: [PromotionalRateDto] }) promotionalRates?: PromotionalRateDto[];
  @ApiProperty() maxTermYears!: number;
}

class SubsidyPeriodDto {
  @ApiProperty({ description: '1 for the first year of the term' }) year!: number;
  @ApiProperty({ example: '2021-04-06' }) from!: string;
  @ApiProperty({ example: '2022-04-05', description: 'inclusive' }) to!: string;
  @ApiProperty({ description: 'months of the term in the period (12, fewer in a last part-year)' })
  months!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'yuan; null without the bank’s rate' })
  subsidy!: number | null;
}

class SubsidyScheduleDto {
  @ApiProperty({ type: [SubsidyPeriodDto] }) periods!: SubsidyPeriodDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'yuan over the term' }) total!: number | null;
}

export class FinancingTermsDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty({ example: 'tech-retrofit' }) programme!: string;
  @ApiProperty({ example: 'tech-retrofit/xiamen-2020' }) policyVersion!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: ProjectDto }) project!: ProjectDto;
  @ApiProperty({ example: '2021-04-06', description: "the day of the finance bureau's opinion" })
  approvedOn!: string;
  @ApiProperty({ type: ApprovedFinancingDto }) financing!: ApprovedFinancingDto;
  @ApiProperty({ type: FinancingPolicyTermsDto, description: "the pinned policy's financing terms" })
  terms!: FinancingPolicyTermsDto;
  @ApiProperty({
    type: SubsidyScheduleDto,
    description:
      "the interest subsidy year by year from the day of the opinion (the loan's drawdown date is not recorded)",
  })
  schedule!: SubsidyScheduleDto;
}

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('v1/applications')
export class FinancingController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get(':id/financing')
  @Roles('enterprise', 'officer', 'auditor')
  @ApiOperation({
    summary:
      "An approved tech-retrofit project's financing (amount, term, the enterprise's and the bank's rate) and the interest subsidy (贴息) the city budget owes each year, from the pinned policy; 409 FINANCING_NOT_APPROVED otherwise",
  })
  @ApiOkResponse({ type: FinancingTermsDto })
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Caller() caller: Principal,
  ): Promise<FinancingTermsView> {
    return this.queries.execute(new GetFinancingTermsQuery(id, caller));
  }
}
