import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@engine/platform';
import { RoundAggregate } from '../../aggregates/round.aggregate';
import { notFound } from '../../domain/shared/domain-error';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { CloseRoundCommand } from './close-round.command';

@CommandHandler(CloseRoundCommand)
export class CloseRoundHandler implements ICommandHandler<CloseRoundCommand, RoundAggregate> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ roundId, reason, context }: CloseRoundCommand): Promise<RoundAggregate> {
    return this.repository.execute(
      () => new RoundAggregate(roundId),
      context,
      (round) => {
        if (!round.state.exists) throw notFound('ROUND_NOT_FOUND', 'no such round');
        round.close(this.clock.now(), reason);
      },
    );
  }
}
