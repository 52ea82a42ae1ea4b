import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Aggregates } from '../../infrastructure/handle-command';
import { roundPanelsReach } from '../reach';
import { GetRoundPanelsQuery, type RoundPanelsScope } from './get-round-panels.query';

/** The caller's reach over a round's expert review; "no such round" when out of reach. */
@QueryHandler(GetRoundPanelsQuery)
export class GetRoundPanelsHandler implements IQueryHandler<GetRoundPanelsQuery, RoundPanelsScope> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ roundId, principal }: GetRoundPanelsQuery): Promise<RoundPanelsScope> {
    const round = await this.aggregates.round(roundId);
    return roundPanelsReach(principal, round.state);
  }
}
