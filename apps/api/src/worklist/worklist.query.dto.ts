import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { ApplicationStatus } from '@engine/incubation';
import { CursorPageQuery } from '../http/page.query';

export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'withdrawn',
  'recommended',
  'in-expert-review',
  'passed',
  'failed',
  'in-publicity',
  'admitted',
  'rejected',
] as const satisfies readonly ApplicationStatus[];

export class WorklistQuery extends CursorPageQuery {
  @ApiPropertyOptional({ example: 'eaglet', description: 'only this programme' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  programme?: string;

  @ApiPropertyOptional({ description: 'only this round (its id)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  round?: string;

  @ApiPropertyOptional({ enum: APPLICATION_STATUSES, description: 'only this status' })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: string;
}

export class WorklistItemDto {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ example: '91320214MA1XK0001X' }) creditCode!: string;
  @ApiProperty({ type: String, nullable: true, example: '无锡芯动微电子科技有限公司' }) name!: string | null;
  @ApiProperty({ example: 'eaglet' }) programme!: string;
  @ApiProperty({ format: 'uuid' }) roundId!: string;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status!: string;
  @ApiProperty({ enum: ['district', 'city', 'finance-bureau', 'ministry'] }) awaiting!: string;
  @ApiProperty({ description: 'since when it has had its status (ISO 8601)' }) since!: string;
}

export class WorklistPageDto {
  @ApiProperty({ type: [WorklistItemDto] }) items!: WorklistItemDto[];
  @ApiProperty({ type: String, nullable: true }) next!: string | null;
}
