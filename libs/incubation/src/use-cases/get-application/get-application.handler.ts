import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@engine/event-store';
import { applicationStream } from '../../domain/application/application.events';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { GetApplicationHistoryQuery, GetApplicationQuery } from './get-application.query';
import type { ApplicationState } from '../../domain/application/application.decider';

/** The application now, or as it stood at an instant (auditors' as-of view). */
@QueryHandler(GetApplicationQuery)
export class GetApplicationHandler implements IQueryHandler<
  GetApplicationQuery,
  Aggregate<ApplicationState>
> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  execute({ applicationId, asOf }: GetApplicationQuery): Promise<Aggregate<ApplicationState>> {
    return this.aggregates.application(applicationId, asOf);
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
