import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class AuditEventsQuery {
  @ApiPropertyOptional({ description: 'events after this position (the previous page’s `next`)', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    example: 'ApplicationSubmitted,ApplicationReturned',
    description: 'event types, comma-separated',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(/^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$/, {
    message: 'must be event types separated by commas',
  })
  type?: string;

  @ApiPropertyOptional({ example: 'application-3f0c…', description: 'one stream, by its exact name' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  stream?: string;

  @ApiPropertyOptional({ description: 'only events by this actor (token subject)' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  actor?: string;

  @ApiPropertyOptional({ example: '2026-03-01T00:00:00Z', description: 'recorded at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z', description: 'recorded before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}
