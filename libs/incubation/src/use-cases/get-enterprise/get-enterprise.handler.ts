import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EnterpriseAggregate } from '../../aggregates/enterprise.aggregate';
import { AggregateRepository } from '../../infrastructure/aggregate-repository';
import { GetEnterpriseQuery } from './get-enterprise.query';

/** The enterprise aggregate (undefined state.registered when there is none). */
@QueryHandler(GetEnterpriseQuery)
export class GetEnterpriseHandler implements IQueryHandler<GetEnterpriseQuery, EnterpriseAggregate> {
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  execute({ creditCode, asOf }: GetEnterpriseQuery): Promise<EnterpriseAggregate> {
    return this.repository.load(() => new EnterpriseAggregate(creditCode), asOf);
  }
}
