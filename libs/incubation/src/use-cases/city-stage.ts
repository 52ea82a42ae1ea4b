import { Inject, Injectable } from '@nestjs/common';
import { chinaDate, Clock, type Principal } from '@engine/platform';
import {
  applicationDecider,
  type ApplicationCommand,
  type ApplicationState,
  type ExistingApplication,
} from '../domain/application/application.decider';
import { applicationStream } from '../domain/application/application.events';
import type { CommandContext } from '../infrastructure/command-context';
import { type Aggregate, Aggregates } from '../infrastructure/handle-command';
import { PolicyLookup, type PolicySummary } from './policy-lookup';
import { assertCanSeeApplication, assertCityOfficer } from './reach';

/** What a city-stage act is decided on: the application, its pinned policy, today (China). */
export interface CityStageFacts {
  state: ExistingApplication;
  policy: PolicySummary;
  today: string;
}

/**
 * The opening every act of the stages after the district's shares (the expert panel, the
 * finance opinion, the ministry's decision): on the application as it is now, the caller must
 * see it and be an officer at or above the round's issuer (reach.ts); then `commandFor` gathers
 * the rest of the facts and names the command, and the one command handler decides and appends.
 */
@Injectable()
export class CityStage {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  act(
    {
      applicationId,
      principal,
      context,
    }: { applicationId: string; principal: Principal; context: CommandContext },
    what: string,
    commandFor: (facts: CityStageFacts) => ApplicationCommand | Promise<ApplicationCommand>,
  ): Promise<Aggregate<ApplicationState>> {
    return this.aggregates
      .of(applicationDecider)
      .handle(applicationStream(applicationId), context, ({ state }) => {
        assertCanSeeApplication(principal, state);
        assertCityOfficer(principal, state, what);
        if (!state.exists) return undefined; // unreachable: assertCanSeeApplication refuses it
        const policy = this.policies.pinned(state.created.policyVersion);
        return commandFor({ state, policy, today: chinaDate(this.clock.now()) });
      });
  }
}
