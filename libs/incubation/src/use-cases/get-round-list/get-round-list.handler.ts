import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { currentList } from '../../domain/round/round.decider';
import { Aggregates } from '../../infrastructure/handle-command';
import { assertMayReadRoundList } from '../reach';
import { GetRoundListQuery, type RoundListEntries } from './get-round-list.query';

@QueryHandler(GetRoundListQuery)
export class GetRoundListHandler implements IQueryHandler<GetRoundListQuery, RoundListEntries> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ roundId, principal, stage, asOf }: GetRoundListQuery): Promise<RoundListEntries> {
    const now = (await this.aggregates.round(roundId)).state;
    assertMayReadRoundList(principal, now);
    const state = asOf ? (await this.aggregates.round(roundId, asOf)).state : now;
    if (!state.exists) return [];
    const final = (stage ?? (state.final ? 'final' : 'proposed')) === 'final';
    return final ? (state.final?.admitted ?? []) : currentList(state);
  }
}
