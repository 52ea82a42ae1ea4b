import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { GetRoundQuery } from './get-round.query';
import type { RoundState } from '../../domain/round/round.decider';

@QueryHandler(GetRoundQuery)
export class GetRoundHandler implements IQueryHandler<GetRoundQuery, Aggregate<RoundState>> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  execute({ roundId, asOf }: GetRoundQuery): Promise<Aggregate<RoundState>> {
    return this.aggregates.round(roundId, asOf);
  }
}
