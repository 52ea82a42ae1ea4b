import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PROGRAMMES } from '@engine/incubation';
import { Clock, jurisdictionCovers, label } from '@engine/platform';
import { ReadModelQueries } from '@engine/read-models';
import { Public } from '../auth/auth.decorators';
import { IsJurisdiction } from '../http/validators';
import { PublicityWindowDto } from './rounds.dto';

/** What anyone may list: rounds taking applications, and rounds whose list is publicised. */
export const PUBLIC_ROUND_STATUSES = ['open', 'in-publicity'] as const;

export class PublicRoundsQuery {
  @ApiPropertyOptional({ enum: PUBLIC_ROUND_STATUSES, default: 'in-publicity' })
  @IsOptional()
  @IsIn(PUBLIC_ROUND_STATUSES)
  status?: (typeof PUBLIC_ROUND_STATUSES)[number];

  @ApiPropertyOptional({
    example: 'js.wuxi.xinwu',
    description: "only the rounds whose issuing jurisdiction covers this one (an enterprise's own)",
  })
  @IsOptional()
  @IsJurisdiction()
  for?: string;
}

export class LabelPairDto {
  @ApiProperty({ example: '雏鹰企业' }) zh!: string;
  @ApiProperty({ example: 'Eaglet enterprise' }) en!: string;
}

export class PublicRoundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROGRAMMES }) programme!: string;
  @ApiProperty({
    type: LabelPairDto,
    description: 'the programme by its label (the catalogue of GET /v1/labels)',
  })
  programmeLabel!: LabelPairDto;
  @ApiProperty({ example: 2026 }) year!: number;
  @ApiProperty({ example: 1 }) batch!: number;
  @ApiProperty({ example: '2026年度雏鹰企业第一批' }) title!: string;
  @ApiProperty({ example: 'js.wuxi', description: 'the issuing jurisdiction' }) jurisdiction!: string;
  @ApiProperty({ enum: PUBLIC_ROUND_STATUSES }) status!: string;
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) opensAt!: string;
  @ApiProperty({ example: '2026-04-30T15:59:59.999Z' }) closesAt!: string;
  @ApiProperty({ example: 'eaglet/wuxi-2024', description: 'the policy version the round pinned' })
  policyVersion!: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: { startsOn: { type: 'string' }, endsOn: { type: 'string' } },
    required: ['startsOn', 'endsOn'],
    description: 'the publicity window (endsOn is its last day), once it started',
  })
  publicity!: PublicityWindowDto | null;
}

export class PublicRoundsDto {
  @ApiProperty({ type: [PublicRoundDto] }) items!: PublicRoundDto[];
}

/**
 * Rounds as the public notices show them, without signing in: the open ones (an enterprise
 * choosing where to apply) and the ones in publicity (anyone reading the publicised list, then
 * `GET /v1/rounds/:id/list`). No counts, no applicant: only what the published notice says.
 */
@ApiTags('rounds')
@Controller('v1/public/rounds')
export class PublicRoundsController {
  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ReadModelQueries) private readonly readModels: ReadModelQueries,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Public: the rounds open for applications or in publicity (newest first, at most 100), optionally those covering a jurisdiction',
  })
  @ApiOkResponse({ type: PublicRoundsDto })
  async list(@Query() query: PublicRoundsQuery): Promise<PublicRoundsDto> {
    const status = query.status ?? 'in-publicity';
    const page = await this.readModels.rounds({ status, limit: 100 }, this.clock.now());
    return {
      items: page.items
        .filter((round) => !query.for || jurisdictionCovers(round.jurisdiction, query.for))
        .map((round) => ({
          id: round.id,
          programme: round.programme,
          programmeLabel: {
            zh: label('programmes', round.programme),
            en: label('programmes', round.programme, 'en'),
          },
          year: round.year,
          batch: round.batch,
          title: round.title,
          jurisdiction: round.jurisdiction,
          status: round.status,
          opensAt: round.opensAt,
          closesAt: round.closesAt,
          policyVersion: round.policyVersion,
          publicity: round.publicity,
        })),
    };
  }
}
