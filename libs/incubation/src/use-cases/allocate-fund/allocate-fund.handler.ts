import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { fundDecider, type FundState, type MembershipFacts } from '../../domain/fund/fund.decider';
import { fundStream } from '../../domain/fund/fund.events';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { assertReachesFund } from '../get-fund/fund-reach';
import { AllocateFundCommand } from './allocate-fund.command';

@CommandHandler(AllocateFundCommand)
export class AllocateFundHandler implements ICommandHandler<AllocateFundCommand, Aggregate<FundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ fundId, allocationId, allocation, principal, context }: AllocateFundCommand) {
    return this.aggregates.of(fundDecider).handle(fundStream(fundId), context, async ({ state }) => {
      assertReachesFund(principal, state, true);
      const { recipient } = allocation;
      return {
        type: 'AllocateFromFund',
        allocationId,
        recipient:
          'membershipId' in recipient
            ? { kind: 'membership', membership: await this.membership(recipient.membershipId) }
            : { kind: 'platform', name: recipient.platform },
        amount: allocation.amount,
        purpose: allocation.purpose,
        today: chinaDate(this.clock.now()),
      };
    });
  }

  /** The membership as it stands now: the fact the decision needs. */
  private async membership(membershipId: string): Promise<MembershipFacts> {
    const { state } = await this.aggregates.membership(membershipId);
    if (!state.exists || !state.granted) return { membershipId, exists: false };
    return {
      membershipId,
      exists: true,
      status: state.status,
      creditCode: state.granted.creditCode,
      programme: state.granted.programme,
      jurisdiction: state.granted.jurisdiction,
    };
  }
}
