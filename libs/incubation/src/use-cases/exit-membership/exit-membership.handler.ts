import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { addYearsClamped, chinaDate, Clock, type IsoDate, jurisdictionCovers } from '@engine/platform';
import { isBanningExit, membershipStream } from '../../domain/membership/membership.events';
import { forbidden, notFound } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { membershipDecider, type MembershipState } from '../../domain/membership/membership.decider';
import { ExitMembershipCommand } from './exit-membership.command';

@CommandHandler(ExitMembershipCommand)
export class ExitMembershipHandler implements ICommandHandler<
  ExitMembershipCommand,
  Aggregate<MembershipState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ membershipId, exit, principal, context }: ExitMembershipCommand) {
    return this.aggregates
      .of(membershipDecider)
      .handle(membershipStream(membershipId), context, ({ state }) => {
        const granted = state.granted;
        if (!granted) throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
        if (principal) {
          if (principal.role !== 'officer') throw forbidden('FORBIDDEN', 'only officers end memberships');
          if (!jurisdictionCovers(principal.jurisdiction!, granted.jurisdiction)) {
            throw notFound('MEMBERSHIP_NOT_FOUND', 'no such membership');
          }
        } else if (state.status === 'exited') {
          return undefined; // the promotion saga asking again
        }
        const today = chinaDate(this.clock.now());
        const banYears = this.policies.pinned(granted.policyVersion).workflow.banYearsAfterFraud;
        const banUntil =
          isBanningExit(exit.reason) && banYears > 0 ? addYearsClamped(today as IsoDate, banYears) : null;
        return { type: 'ExitMembership', exit: { ...exit, on: today, banUntil } };
      });
  }
}
