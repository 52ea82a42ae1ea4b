import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Aggregates } from '../../infrastructure/handle-command';
import { annualDueDates } from '../../sagas/memberships.saga';

/** One year's annual report of a membership: what is filed by `dueOn` is `year`'s data. */
export interface AnnualReportDue {
  year: number;
  /** The due date (the policy's MM-DD of the next year, moved to a working day). */
  dueOn: string;
  /** `filed`; `missed` (the engine recorded it after the due date); `open` (not filed yet). */
  status: 'filed' | 'missed' | 'open';
}

/** The annual reports a membership owes over its validity, from its events. */
export class GetAnnualReportsQuery {
  constructor(readonly membershipId: string) {}
}

@QueryHandler(GetAnnualReportsQuery)
export class GetAnnualReportsHandler implements IQueryHandler<GetAnnualReportsQuery, AnnualReportDue[]> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ membershipId }: GetAnnualReportsQuery): Promise<AnnualReportDue[]> {
    const { state } = await this.aggregates.membership(membershipId);
    if (!state.exists || !state.granted?.annualReportDue) return [];
    // The same dates the memberships saga schedules its reminder and due timers on.
    return annualDueDates(state.granted.validFrom, state.validUntil!, state.granted.annualReportDue).map(
      ({ year, dueOn }) => ({
        year,
        dueOn,
        status: state.reportsFiled.includes(year)
          ? 'filed'
          : state.reportsMissed.includes(year)
            ? 'missed'
            : 'open',
      }),
    );
  }
}
