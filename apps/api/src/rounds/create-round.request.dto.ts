import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { IsJurisdiction } from '../http/validators';
import { IsText } from '../http/text';

export const PROGRAMME_CODES = ['eaglet', 'gazelle', 'quasi-unicorn', 'little-giant', 'tech-retrofit'];

export class CreateRoundRequest {
  @ApiProperty({ enum: PROGRAMME_CODES, example: 'eaglet' })
  @IsIn(PROGRAMME_CODES)
  programme!: string;

  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ example: 1, description: '批次' })
  @IsInt()
  @Min(1)
  @Max(99)
  batch!: number;

  @ApiProperty({ example: '2026年度无锡市雏鹰企业第一批入库申报' })
  @IsText({ max: 200 })
  title!: string;

  @ApiProperty({ example: 'js.wuxi', description: 'issuing jurisdiction' })
  @IsJurisdiction()
  jurisdiction!: string;

  @ApiProperty({ example: '2026-03-01T00:00:00+08:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  opensAt!: string;

  @ApiProperty({ example: '2026-04-30T17:00:00+08:00' })
  @IsISO8601({ strict: true, strictSeparator: true })
  closesAt!: string;

  @ApiPropertyOptional({ example: 120, description: '名额' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  quota?: number;
}
