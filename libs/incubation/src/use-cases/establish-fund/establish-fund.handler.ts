import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, jurisdictionCovers } from '@engine/platform';
import { fundDecider, type FundState } from '../../domain/fund/fund.decider';
import { fundStream } from '../../domain/fund/fund.events';
import { forbidden } from '../../domain/shared/domain-error';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { EstablishFundCommand } from './establish-fund.command';

@CommandHandler(EstablishFundCommand)
export class EstablishFundHandler implements ICommandHandler<EstablishFundCommand, Aggregate<FundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ fundId, input, principal, context }: EstablishFundCommand): Promise<Aggregate<FundState>> {
    if (principal.role !== 'officer' || !jurisdictionCovers(principal.jurisdiction!, input.jurisdiction)) {
      throw forbidden('FORBIDDEN', 'a fund is established at or below your own jurisdiction');
    }
    return this.aggregates.of(fundDecider).handle(fundStream(fundId), context, () => ({
      type: 'EstablishFund',
      data: { fundId, ...input, establishedOn: chinaDate(this.clock.now()) },
    }));
  }
}
