import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PolicyLookup } from '@engine/incubation';
import { chinaDate, Clock } from '@engine/platform';
import { IsJurisdiction } from '../http/validators';

export class ProgrammesQuery {
  @ApiPropertyOptional({
    example: 'fj.xiamen',
    description:
      'the versions governing this jurisdiction (nearest issuer at or above it); without it, every issuer’s version in force',
  })
  @IsOptional()
  @IsJurisdiction()
  jurisdiction?: string;
}

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('v1/programmes')
export class ProgrammesController {
  constructor(
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The lists with the policy versions in force today: for a jurisdiction, the one of the nearest issuer above it',
  })
  list(@Query() query: ProgrammesQuery) {
    return this.policies.programmes(chinaDate(this.clock.now()), query.jurisdiction).map((p) => ({
      code: p.programme,
      name: p.name,
      policyVersion: p.version,
      issuer: p.issuer,
      jurisdiction: p.jurisdiction,
      documentNumber: p.documentNumber,
      effectiveFrom: p.effectiveFrom,
      publicityWorkingDays: p.publicityWorkingDays,
      // The expert scoring sheet (评分表) of the policy, or null when experts give one score.
      scoring: p.workflow.expertPanel?.scoring ?? null,
    }));
  }
}
