import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { ApplicationAggregate } from '../../aggregates/application.aggregate';
import { EnterpriseAggregate } from '../../aggregates/enterprise.aggregate';
import { RoundAggregate } from '../../aggregates/round.aggregate';
import { isWithinWindow } from '../../domain/round/round.decider';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { PolicyLookup } from '../policy-lookup';
import { assertOwnsApplication } from '../reach';
import { SubmitApplicationCommand } from './submit-application.command';

/**
 * Runs the eligibility rules of the pinned policy version on the data as it stands and
 * stores data, explanation and version in the ApplicationSubmitted event.
 */
@CommandHandler(SubmitApplicationCommand)
export class SubmitApplicationHandler implements ICommandHandler<
  SubmitApplicationCommand,
  ApplicationAggregate
> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ applicationId, principal, context }: SubmitApplicationCommand): Promise<ApplicationAggregate> {
    return this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      async (application) => {
        assertOwnsApplication(principal, application.state);
        const created = application.state.created!;
        const [round, enterprise] = await Promise.all([
          this.repository.load(() => new RoundAggregate(created.roundId)),
          this.repository.load(() => new EnterpriseAggregate(created.creditCode)),
        ]);
        const now = this.clock.now();
        const today = chinaDate(now);
        const eligibility = this.policies.evaluate(created.policyVersion, {
          enterprise: { creditCode: created.creditCode, establishedOn: enterprise.state.establishedOn! },
          data: application.state.data,
          applicationDate: today,
        });
        // The policy's first review stage: some cities skip the district stage.
        const stages = this.policies.get(created.policyVersion)?.workflow.reviewStages ?? [];
        const firstStage = stages.find((s): s is 'district' | 'city' => s === 'district' || s === 'city');
        application.submit({
          withinWindow: isWithinWindow(round.state, now),
          eligibility,
          today,
          requiredMaterials: this.policies.get(created.policyVersion)?.requiredMaterials ?? [],
          ...(firstStage ? { firstStage } : {}),
        });
      },
    );
  }
}
