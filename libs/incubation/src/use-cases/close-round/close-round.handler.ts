import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@engine/platform';
import { notFound } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { CloseRoundCommand } from './close-round.command';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { roundStream } from '../../domain/round/round.events';
import { assertIssuingOfficer } from '../reach';

@CommandHandler(CloseRoundCommand)
export class CloseRoundHandler implements ICommandHandler<CloseRoundCommand, Aggregate<RoundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ roundId, reason, context, principal }: CloseRoundCommand): Promise<Aggregate<RoundState>> {
    if (principal) {
      // Access first, before If-Match and idempotency, as when the controller checked it.
      const current = await this.aggregates.round(roundId);
      assertIssuingOfficer(
        principal,
        current.state,
        'only officers of the issuing jurisdiction close a round',
      );
    }
    return this.aggregates.of(roundDecider).handle(roundStream(roundId), context, (round) => {
      if (!round.state.exists) throw notFound('ROUND_NOT_FOUND', 'no such round');
      return { type: 'CloseRound', now: this.clock.now(), reason };
    });
  }
}
