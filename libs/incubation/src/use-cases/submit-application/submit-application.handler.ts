import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { isWithinWindow } from '../../domain/round/round.decider';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { Registers } from '../registers/registers';
import { assertOwnsApplication } from '../reach';
import { SubmitApplicationCommand } from './submit-application.command';

/**
 * Runs the eligibility rules of the pinned policy version on the data as it stands and
 * stores data, explanation and version in the ApplicationSubmitted event. Access, then the
 * facts (round window, eligibility, the policy's materials and first stage), then the decision.
 */
@CommandHandler(SubmitApplicationCommand)
export class SubmitApplicationHandler implements ICommandHandler<
  SubmitApplicationCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Registers) private readonly registers: Registers,
  ) {}

  execute({
    applicationId,
    principal,
    context,
  }: SubmitApplicationCommand): Promise<Aggregate<ApplicationState>> {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async ({ state }) => {
        const created = assertOwnsApplication(principal, state);
        const [round, enterprise] = await Promise.all([
          this.aggregates.round(created.roundId),
          this.aggregates.enterprise(created.creditCode),
        ]);
        const now = this.clock.now();
        const today = chinaDate(now);
        const policy = this.policies.get(created.policyVersion);
        // The policy's first review stage: some cities skip the district stage.
        const firstStage = policy?.workflow.reviewStages.find(
          (s): s is 'district' | 'city' => s === 'district' || s === 'city',
        );
        // Register rules read the enterprise's entries in the current register versions.
        const registers = policy?.registers.length
          ? await this.registers.evidence(
              created.creditCode,
              enterprise.state.jurisdiction!,
              policy.registers,
            )
          : undefined;
        return {
          type: 'SubmitApplication',
          withinWindow: isWithinWindow(round.state, now),
          eligibility: this.policies.evaluate(created.policyVersion, {
            enterprise: { creditCode: created.creditCode, establishedOn: enterprise.state.establishedOn! },
            data: state.data,
            applicationDate: today,
            ...(registers ? { registers } : {}),
          }),
          today,
          requiredMaterials: policy?.requiredMaterials ?? [],
          ...(firstStage ? { firstStage } : {}),
        };
      });
  }
}
