import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class AsOfQuery {
  @ApiPropertyOptional({
    example: '2026-04-01T00:00:00Z',
    description: 'the state as it stood at this instant',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  asOf?: string;
}
