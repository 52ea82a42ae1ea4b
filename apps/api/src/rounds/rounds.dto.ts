import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PROGRAMMES } from '@engine/incubation';
import { ROUND_APPLICATION_SORTS } from '@engine/read-models';
import { APPLICATION_STATUSES } from '../worklist/worklist.query.dto';
import { CursorPageQuery } from '../http/page.query';

export const ROUND_STATUSES = ['scheduled', 'open', 'closed', 'in-publicity', 'finalized'] as const;
const JURISDICTION = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

export class RoundListQuery extends CursorPageQuery {
  @ApiPropertyOptional({ enum: PROGRAMMES })
  @IsOptional()
  @IsIn(PROGRAMMES)
  programme?: string;

  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2200)
  year?: number;

  @ApiPropertyOptional({ enum: ROUND_STATUSES })
  @IsOptional()
  @IsIn(ROUND_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'js.wuxi', description: 'rounds issued at or below this jurisdiction' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(JURISDICTION, { message: 'jurisdiction must be dotted lower-case segments' })
  jurisdiction?: string;
}

export class RoundApplicationsQuery extends CursorPageQuery {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'js.wuxi.xinwu', description: "the enterprise's district, or below it" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(JURISDICTION, { message: 'district must be dotted lower-case segments' })
  district?: string;

  @ApiPropertyOptional({
    example: '芯动',
    description: "part of the enterprise's name, or the start of its credit code",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'only eligible (true) or ineligible (false) submissions',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  eligible?: boolean;

  @ApiPropertyOptional({
    enum: ROUND_APPLICATION_SORTS,
    default: 'created',
    description: '`-` for descending',
  })
  @IsOptional()
  @IsIn(ROUND_APPLICATION_SORTS)
  sort?: (typeof ROUND_APPLICATION_SORTS)[number];

  @ApiPropertyOptional({ minimum: 0, description: 'skip this many rows (to jump to a page; `cursor` wins)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  offset?: number;
}

export class StatusCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { submitted: 12 } })
  byStatus!: Record<string, number>;
}

export class PublicityWindowDto {
  @ApiProperty({ example: '2026-05-06' }) startsOn!: string;
  @ApiProperty({ example: '2026-05-20' }) endsOn!: string;
}

export class RoundListItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROGRAMMES }) programme!: string;
  @ApiProperty({ example: 2026 }) year!: number;
  @ApiProperty({ example: 1 }) batch!: number;
  @ApiProperty({ example: '2026年度雏鹰企业第一批' }) title!: string;
  @ApiProperty({ example: 'js.wuxi' }) jurisdiction!: string;
  @ApiProperty({ enum: ROUND_STATUSES }) status!: string;
  @ApiProperty() opensAt!: string;
  @ApiProperty() closesAt!: string;
  @ApiProperty({ type: Number, nullable: true }) quota!: number | null;
  @ApiProperty({ example: 'eaglet/wuxi-2024' }) policyVersion!: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { startsOn: { type: 'string' }, endsOn: { type: 'string' } },
    required: ['startsOn', 'endsOn'],
    description: 'the publicity window, once it started',
  })
  publicity!: PublicityWindowDto | null;
  @ApiProperty({ type: String, nullable: true }) finalizedOn!: string | null;
  @ApiProperty({ type: StatusCountsDto }) counts!: StatusCountsDto;
}

export class RoundListPageDto {
  @ApiProperty({ type: [RoundListItemDto] }) items!: RoundListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page' })
  next!: string | null;
}

export class RoundApplicationRowDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ example: '91320214MA1XK0001X' }) creditCode!: string;
  @ApiProperty({ type: String, nullable: true, example: '无锡芯动微电子科技有限公司' }) name!: string | null;
  @ApiProperty({ enum: PROGRAMMES }) programme!: string;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status!: string;
  @ApiProperty({ example: 'js.wuxi.xinwu' }) district!: string;
  @ApiProperty({ type: Boolean, nullable: true }) eligible!: boolean | null;
  @ApiProperty({ type: String, nullable: true, example: '≈ 70.33' }) score!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'district' }) awaiting!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-04-20' }) respondBy!: string | null;
  @ApiProperty({ description: 'since when it has had its status' }) since!: string;
}

export class RoundApplicationsPageDto {
  @ApiProperty({ type: [RoundApplicationRowDto] }) items!: RoundApplicationRowDto[];
  @ApiProperty({ type: String, nullable: true }) next!: string | null;
  @ApiProperty({ description: 'how many match the filters in all' }) total!: number;
  @ApiProperty({ description: 'the offset of this page' }) offset!: number;
}

export class DistrictCountsDto extends StatusCountsDto {
  @ApiProperty({ example: 'js.wuxi.xinwu' }) jurisdiction!: string;
}

export class RoundStatsDto extends StatusCountsDto {
  @ApiProperty({ format: 'uuid' }) roundId!: string;
  @ApiProperty({ type: [DistrictCountsDto] }) byDistrict!: DistrictCountsDto[];
}

export class ObjectionSummaryDto {
  @ApiProperty({ example: '3f0c….1' }) id!: string;
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty() raisedOn!: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { upheld: { type: 'boolean' }, reason: { type: 'string' } },
  })
  resolution!: { upheld: boolean; reason: string } | null;
}

export class RoundPublicityDto extends PublicityWindowDto {
  @ApiProperty({ description: 'applications on the published list' }) proposed!: number;
  @ApiProperty({ type: [ObjectionSummaryDto] }) objections!: ObjectionSummaryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: '锡科发〔2026〕12号',
    description: "the notice's 文号",
  })
  documentNumber!: string | null;
  @ApiProperty({ description: 'the end was counted without the official holiday arrangement of its year' })
  provisional!: boolean;
}

export class RoundFinalDto {
  @ApiProperty() finalizedOn!: string;
  @ApiProperty({ enum: ['admit', 'forward'] }) outcome!: string;
  @ApiProperty() admitted!: number;
  @ApiProperty({ type: String, nullable: true, description: "the admission notice's 文号" })
  documentNumber!: string | null;
}

export class RoundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROGRAMMES }) programme!: string;
  @ApiProperty() year!: number;
  @ApiProperty() batch!: number;
  @ApiProperty() title!: string;
  @ApiProperty() jurisdiction!: string;
  @ApiProperty() opensAt!: string;
  @ApiProperty() closesAt!: string;
  @ApiProperty({ type: Number, nullable: true }) quota!: number | null;
  @ApiProperty({ enum: ROUND_STATUSES }) status!: string;
  @ApiProperty() policyVersion!: string;
  @ApiProperty() revision!: number;
  @ApiPropertyOptional({ type: RoundPublicityDto }) publicity?: RoundPublicityDto;
  @ApiPropertyOptional({ type: RoundFinalDto }) final?: RoundFinalDto;
}

export class RoundCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ROUND_STATUSES }) status!: string;
  @ApiProperty() policyVersion!: string;
}

export class RoundClosedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ROUND_STATUSES }) status!: string;
}

export class PanelDrawnDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ type: [String] }) experts!: string[];
  @ApiProperty({ example: '2026-05-20' }) dueOn!: string;
}

export class PanelSkippedDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ example: 'PANEL_EXISTS' }) code!: string;
  @ApiProperty() message!: string;
}

export class BatchPanelsDto {
  @ApiProperty({ type: [PanelDrawnDto], description: 'panels drawn by this call' }) drawn!: PanelDrawnDto[];
  @ApiProperty({ type: [PanelSkippedDto], description: 'already drawn (a repeat is harmless)' })
  skipped!: PanelSkippedDto[];
  @ApiProperty({ type: [PanelSkippedDto], description: 'refused (e.g. the expert pool is too small)' })
  failed!: PanelSkippedDto[];
}
