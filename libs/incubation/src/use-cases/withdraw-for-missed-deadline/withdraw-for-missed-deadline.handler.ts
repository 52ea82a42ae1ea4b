import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { Aggregates } from '../../infrastructure/handle-command';
import { WithdrawForMissedDeadlineCommand } from './withdraw-for-missed-deadline.command';
import { applicationDecider } from '../../domain/application/application.decider';
import { applicationStream } from '../../domain/application/application.events';

/** Withdraws the application if it is still returned and its deadline has passed; else nothing. */
@CommandHandler(WithdrawForMissedDeadlineCommand)
export class WithdrawForMissedDeadlineHandler implements ICommandHandler<WithdrawForMissedDeadlineCommand> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, context }: WithdrawForMissedDeadlineCommand): Promise<void> {
    await this.aggregates.of(applicationDecider).handle(applicationStream(applicationId), context, () => ({
      type: 'WithdrawForMissedDeadline',
      today: chinaDate(this.clock.now()),
    }));
  }
}
