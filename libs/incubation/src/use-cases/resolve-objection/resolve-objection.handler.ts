import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { jurisdictionCovers } from '@engine/platform';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { roundStream } from '../../domain/round/round.events';
import { forbidden, notFound } from '../../domain/shared/domain-error';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { roundOfObjection } from '../objection-ids';
import { ResolveObjectionCommand } from './resolve-objection.command';

@CommandHandler(ResolveObjectionCommand)
export class ResolveObjectionHandler implements ICommandHandler<
  ResolveObjectionCommand,
  Aggregate<RoundState>
> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ objectionId, resolution, principal, context }: ResolveObjectionCommand) {
    const roundId = roundOfObjection(objectionId);
    if (!roundId) throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
    return this.aggregates.of(roundDecider).handle(roundStream(roundId), context, ({ state }) => {
      if (!state.round) throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
      if (principal.role !== 'officer') throw forbidden('FORBIDDEN', 'only officers resolve objections');
      if (!jurisdictionCovers(principal.jurisdiction!, state.round.jurisdiction)) {
        throw notFound('OBJECTION_NOT_FOUND', 'no such objection');
      }
      return { type: 'ResolveObjection', objectionId, resolution };
    });
  }
}
