import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PolicyLookup } from '@engine/incubation/use-cases/policy-lookup';
import { chinaDate, Clock } from '@engine/platform';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('v1/programmes')
export class ProgrammesController {
  constructor(
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The five lists with the policy version in force today' })
  list() {
    return this.policies.programmes(chinaDate(this.clock.now())).map((p) => ({
      code: p.programme,
      name: p.name,
      policyVersion: p.version,
      documentNumber: p.documentNumber,
      effectiveFrom: p.effectiveFrom,
      publicityWorkingDays: p.publicityWorkingDays,
      // The expert scoring sheet (评分表) of the policy, or null when experts give one score.
      scoring: p.workflow.expertPanel?.scoring ?? null,
    }));
  }
}
