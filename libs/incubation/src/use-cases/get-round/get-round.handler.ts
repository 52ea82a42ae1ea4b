import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { GetRoundQuery } from './get-round.query';
import type { RoundState } from '../../domain/round/round.decider';
import { roundReach } from '../reach';

/** The round; `within` is the part of it an officer below the issuer sees (reach.ts). */
export type RoundInReach = Aggregate<RoundState> & { within?: string };

@QueryHandler(GetRoundQuery)
export class GetRoundHandler implements IQueryHandler<GetRoundQuery, RoundInReach> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ roundId, asOf, principal }: GetRoundQuery): Promise<RoundInReach> {
    const round = await this.aggregates.round(roundId, asOf);
    if (!principal) return round;
    return { ...round, ...roundReach(principal, round.state) };
  }
}
