import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@engine/event-store';
import { applicationStream } from '../../domain/application/application.events';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { GetApplicationHistoryQuery, GetApplicationQuery } from './get-application.query';
import type { ApplicationState } from '../../domain/application/application.decider';
import { applicationSight, assertCanSeeApplication } from '../reach';

/** The application, with how the caller sees it when the query named one. */
export type ApplicationInSight = Aggregate<ApplicationState> & { sight?: 'full' | 'blind' };

/** The application now, or as it stood at an instant (auditors' as-of view). */
@QueryHandler(GetApplicationQuery)
export class GetApplicationHandler implements IQueryHandler<GetApplicationQuery, ApplicationInSight> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ applicationId, asOf, principal }: GetApplicationQuery): Promise<ApplicationInSight> {
    if (!principal) return this.aggregates.application(applicationId, asOf);
    const current = await this.aggregates.application(applicationId);
    const sight = applicationSight(principal, current.state, asOf);
    const application = asOf ? await this.aggregates.application(applicationId, asOf) : current;
    if (!application.state.exists) assertCanSeeApplication(principal, application.state); // did not exist yet: 404
    return { ...application, sight };
  }
}

@QueryHandler(GetApplicationHistoryQuery)
export class GetApplicationHistoryHandler implements IQueryHandler<
  GetApplicationHistoryQuery,
  StoredEvent[]
> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  execute({ applicationId }: GetApplicationHistoryQuery): Promise<StoredEvent[]> {
    return this.aggregates.history(applicationStream(applicationId));
  }
}
