import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { ApplicationStatus } from '@engine/incubation/domain/application/application.decider';

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

export class WorklistQuery {
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

  @ApiPropertyOptional({ description: "the previous page's `next`" })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
