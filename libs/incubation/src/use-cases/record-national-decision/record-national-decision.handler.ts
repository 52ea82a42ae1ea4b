import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { admissionFor } from '../admission-terms';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from '../reach';
import { RecordNationalDecisionCommand } from './record-national-decision.command';

/** The local bureau records the ministry's decision on a little giant recommended to it. */
@CommandHandler(RecordNationalDecisionCommand)
export class RecordNationalDecisionHandler implements ICommandHandler<
  RecordNationalDecisionCommand,
  Aggregate<ApplicationState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ applicationId, decision, principal, context }: RecordNationalDecisionCommand) {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, async ({ state }) => {
        const created = assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, "the ministry's decision");
        const policy = this.policies.get(created.policyVersion)!;
        const admission = await admissionFor(this.aggregates, policy, state, chinaDate(this.clock.now()));
        return { type: 'RecordNationalDecision', decision, admission };
      });
  }
}
