import { Inject, Injectable } from '@nestjs/common';
import { ReadModelQueries } from '@engine/read-models';

export interface TimelineItem {
  at: string;
  type: string;
  applicationId?: string;
  roundId?: string;
  summary: string;
  respondBy?: string;
}

export interface ApplicationSummary {
  id: string;
  programme: string;
  roundId: string;
  status: string;
}

/**
 * Which applications each enterprise has: read from the `applications` projection
 * (libs/read-models, folded with the aggregate's own decider), after waiting briefly for it to
 * reach the store's head so that a caller sees what it has just done.
 */
@Injectable()
export class EnterpriseDirectory {
  constructor(@Inject(ReadModelQueries) private readonly readModels: ReadModelQueries) {}

  /** The enterprise's applications, in the order they were opened. */
  applicationsOf(creditCode: string): Promise<ApplicationSummary[]> {
    return this.readModels.enterpriseApplications(creditCode);
  }

  /** What happened to the enterprise and its applications, newest first (at most 100 entries). */
  timelineOf(creditCode: string): Promise<TimelineItem[]> {
    return this.readModels.enterpriseTimeline(creditCode);
  }
}
