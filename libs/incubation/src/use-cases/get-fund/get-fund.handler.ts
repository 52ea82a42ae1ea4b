import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { fundDecider, type FundState } from '../../domain/fund/fund.decider';
import { fundStream } from '../../domain/fund/fund.events';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { assertReachesFund } from './fund-reach';
import { GetFundQuery } from './get-fund.query';

/** Fold on read: a fund has a handful of events, so no read model is kept for it. */
@QueryHandler(GetFundQuery)
export class GetFundHandler implements IQueryHandler<GetFundQuery, Aggregate<FundState>> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ fundId, principal }: GetFundQuery): Promise<Aggregate<FundState>> {
    const fund = await this.aggregates.load(fundDecider, fundStream(fundId));
    assertReachesFund(principal, fund.state, false);
    return fund;
  }
}
