import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

export class ExportBundleQuery {
  @ApiPropertyOptional({
    description: 'events recorded from this instant (inclusive, ISO 8601); default the beginning',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: "events recorded before this instant (exclusive, ISO 8601); default the engine's now",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      "`true`: list the material files' digests only, without the files (as the CLI's --without-files)",
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  withoutFiles?: 'true' | 'false';
}
