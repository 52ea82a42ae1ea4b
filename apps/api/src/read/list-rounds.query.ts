import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { roundsListReach } from '@engine/incubation';
import { Clock, type Principal } from '@engine/platform';
import { ReadModelQueries, type RoundListPage, type RoundListQuery } from '@engine/read-models';

/** Rounds newest first, within the caller's reach (reach.ts, roundsListReach), with their counts. */
export class ListRoundsQuery {
  constructor(
    readonly filters: Omit<RoundListQuery, 'reach'>,
    readonly principal: Principal,
  ) {}
}

@QueryHandler(ListRoundsQuery)
export class ListRoundsHandler implements IQueryHandler<ListRoundsQuery, RoundListPage> {
  constructor(
    @Inject(ReadModelQueries) private readonly readModels: ReadModelQueries,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ filters, principal }: ListRoundsQuery): Promise<RoundListPage> {
    const { reach, partOf } = roundsListReach(principal);
    // An officer below the issuer counts their own part of the round.
    return this.readModels.rounds({ ...filters, reach }, this.clock.now(), (round) =>
      partOf(round.jurisdiction),
    );
  }
}
