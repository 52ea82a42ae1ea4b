import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { ruleViolated } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertMayIssueRound } from '../reach';
import { CreateRoundCommand } from './create-round.command';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { roundStream } from '../../domain/round/round.events';

/**
 * Opens a round and pins the policy version in force on the day it opens for submissions, of the
 * nearest issuer at or above the round's jurisdiction (a Xiamen round never takes Wuxi's rules).
 */
@CommandHandler(CreateRoundCommand)
export class CreateRoundHandler implements ICommandHandler<CreateRoundCommand, Aggregate<RoundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ roundId, input, context, principal }: CreateRoundCommand): Promise<Aggregate<RoundState>> {
    if (principal) assertMayIssueRound(principal, input.jurisdiction);
    const opensOn = chinaDate(new Date(input.opensAt));
    const policy = this.policies.inForce(input.programme, opensOn, input.jurisdiction);
    if (!policy) {
      throw ruleViolated(
        'NO_POLICY_IN_FORCE',
        `no ${input.programme} policy of an issuer over ${input.jurisdiction} is in force on ${opensOn}`,
      );
    }
    return this.aggregates.of(roundDecider).handle(roundStream(roundId), context, () => ({
      type: 'CreateRound',
      now: this.clock.now(),
      data: {
        roundId,
        programme: input.programme,
        year: input.year,
        batch: input.batch,
        title: input.title,
        jurisdiction: input.jurisdiction,
        opensAt: new Date(input.opensAt).toISOString(),
        closesAt: new Date(input.closesAt).toISOString(),
        quota: input.quota ?? null,
        policyVersion: policy.version,
      },
    }));
  }
}
