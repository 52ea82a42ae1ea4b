import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { statisticsScope } from '@engine/incubation';
import type { Principal } from '@engine/platform';
import { ReadModelQueries, type YearStats } from '@engine/read-models';

/**
 * A year's applications counted by programme, district and status, where the caller may count
 * (reach.ts, statisticsScope: an officer within their jurisdiction, 403 beyond it).
 */
export class GetYearStatsQuery {
  constructor(
    readonly year: number,
    readonly jurisdiction: string | undefined,
    readonly principal: Principal,
  ) {}
}

@QueryHandler(GetYearStatsQuery)
export class GetYearStatsHandler implements IQueryHandler<GetYearStatsQuery, YearStats> {
  constructor(@Inject(ReadModelQueries) private readonly readModels: ReadModelQueries) {}

  execute({ year, jurisdiction, principal }: GetYearStatsQuery): Promise<YearStats> {
    return this.readModels.yearStats(year, statisticsScope(principal, jurisdiction));
  }
}
