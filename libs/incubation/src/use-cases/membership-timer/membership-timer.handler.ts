import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { membershipStream } from '../../domain/membership/membership.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { membershipDecider } from '../../domain/membership/membership.decider';
import { MembershipTimerCommand } from './membership-timer.command';

@CommandHandler(MembershipTimerCommand)
export class MembershipTimerHandler implements ICommandHandler<MembershipTimerCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ membershipId, what, year, dueOn, context }: MembershipTimerCommand): Promise<void> {
    const today = chinaDate(this.clock.now());
    await this.aggregates.of(membershipDecider).handle(membershipStream(membershipId), context, () => {
      switch (what) {
        case 'remind-annual-report':
          return { type: 'RemindAnnualReport', year: year!, dueOn: dueOn! };
        case 'annual-report-due':
          return { type: 'MarkAnnualReportMissed', year: year!, dueOn: dueOn!, today };
        case 'expire':
          return { type: 'ExpireMembership', today };
      }
    });
  }
}
