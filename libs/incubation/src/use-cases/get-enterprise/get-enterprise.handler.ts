import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { GetEnterpriseQuery } from './get-enterprise.query';
import type { EnterpriseState } from '../../domain/enterprise/enterprise.decider';
import { assertCanSeeEnterprise } from '../reach';

/** The enterprise aggregate (undefined state.registered when there is none). */
@QueryHandler(GetEnterpriseQuery)
export class GetEnterpriseHandler implements IQueryHandler<GetEnterpriseQuery, Aggregate<EnterpriseState>> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ creditCode, asOf, principal }: GetEnterpriseQuery): Promise<Aggregate<EnterpriseState>> {
    const enterprise = await this.aggregates.enterprise(creditCode, asOf);
    if (principal) assertCanSeeEnterprise(principal, enterprise.state);
    return enterprise;
  }
}
