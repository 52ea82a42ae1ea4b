import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RoundAggregate } from '../../aggregates/round.aggregate';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { GetRoundQuery } from './get-round.query';

@QueryHandler(GetRoundQuery)
export class GetRoundHandler implements IQueryHandler<GetRoundQuery, RoundAggregate> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  execute({ roundId, asOf }: GetRoundQuery): Promise<RoundAggregate> {
    return this.repository.load(() => new RoundAggregate(roundId), asOf);
  }
}
