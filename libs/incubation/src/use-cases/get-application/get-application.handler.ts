import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@engine/event-store';
import { ApplicationAggregate } from '../../aggregates/application.aggregate';
import { applicationStream } from '../../domain/application/application.events';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { GetApplicationHistoryQuery, GetApplicationQuery } from './get-application.query';

/** The application now, or as it stood at an instant (auditors' as-of view). */
@QueryHandler(GetApplicationQuery)
export class GetApplicationHandler implements IQueryHandler<GetApplicationQuery, ApplicationAggregate> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  execute({ applicationId, asOf }: GetApplicationQuery): Promise<ApplicationAggregate> {
    return this.repository.load(() => new ApplicationAggregate(applicationId), asOf);
  }
}

@QueryHandler(GetApplicationHistoryQuery)
export class GetApplicationHistoryHandler implements IQueryHandler<
  GetApplicationHistoryQuery,
  StoredEvent[]
> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  execute({ applicationId }: GetApplicationHistoryQuery): Promise<StoredEvent[]> {
    return this.repository.history(applicationStream(applicationId));
  }
}
