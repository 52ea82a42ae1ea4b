import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Aggregates } from '../../infrastructure/handle-command';
import { assertIssuingOfficer } from '../reach';
import { RoundRoster } from '../round-roster';
import { GetPanelsToDrawQuery } from './get-panels-to-draw.query';

@QueryHandler(GetPanelsToDrawQuery)
export class GetPanelsToDrawHandler implements IQueryHandler<GetPanelsToDrawQuery, string[]> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(RoundRoster) private readonly roster: RoundRoster,
  ) {}

  async execute({ roundId, principal }: GetPanelsToDrawQuery): Promise<string[]> {
    const round = await this.aggregates.round(roundId);
    assertIssuingOfficer(
      principal,
      round.state,
      'expert panels are drawn by officers of the issuing jurisdiction',
    );
    return this.roster.applicationIds(roundId, ['in-expert-review']);
  }
}
