import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { ApplicationAggregate } from '../../aggregates/application.aggregate';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { WithdrawForMissedDeadlineCommand } from './withdraw-for-missed-deadline.command';

/** Withdraws the application if it is still returned and its deadline has passed; else nothing. */
@CommandHandler(WithdrawForMissedDeadlineCommand)
export class WithdrawForMissedDeadlineHandler implements ICommandHandler<WithdrawForMissedDeadlineCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, context }: WithdrawForMissedDeadlineCommand): Promise<void> {
    await this.repository.execute(
      () => new ApplicationAggregate(applicationId),
      context,
      (application) => application.withdrawIfDeadlineMissed(chinaDate(this.clock.now())),
    );
  }
}
