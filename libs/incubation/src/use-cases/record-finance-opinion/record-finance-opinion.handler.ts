import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from '../reach';
import { RecordFinanceOpinionCommand } from './record-finance-opinion.command';

/**
 * The finance bureau's opinion on a tech-retrofit project, recorded by the city. An approval
 * grants at most the cap of the policy (domain/policies/financing.ts: the same computation as
 * the eligibility rule `financing-within-cap`) and at most what the enterprise asked for, for at
 * most the policy's term, at the rate the policy sets on the day of the opinion (a promotional
 * window wins over the default rate); the bank's rate, when stated, gives the yearly interest
 * subsidy (贴息) the city budget owes.
 */
@CommandHandler(RecordFinanceOpinionCommand)
export class RecordFinanceOpinionHandler implements ICommandHandler<
  RecordFinanceOpinionCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ applicationId, opinion, principal, context }: RecordFinanceOpinionCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        const created = assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, 'the finance opinion');
        return {
          type: 'RecordFinanceOpinion',
          approved: opinion.approved,
          opinion: opinion.opinion,
          ...(opinion.financing ? { asked: opinion.financing } : {}),
          terms: this.policies.get(created.policyVersion)!.financing,
          today: chinaDate(this.clock.now()),
        };
      });
  }
}
