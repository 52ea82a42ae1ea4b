import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock } from '@engine/platform';
import { fundDecider, type FundState } from '../../domain/fund/fund.decider';
import { fundStream } from '../../domain/fund/fund.events';
import { Aggregates, type Aggregate } from '../../infrastructure/handle-command';
import { assertReachesFund } from '../get-fund/fund-reach';
import { RecordFundPaymentCommand } from './record-fund-payment.command';

@CommandHandler(RecordFundPaymentCommand)
export class RecordFundPaymentHandler implements ICommandHandler<
  RecordFundPaymentCommand,
  Aggregate<FundState>
> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ fundId, allocationId, paymentId, payment, principal, context }: RecordFundPaymentCommand) {
    return this.aggregates.of(fundDecider).handle(fundStream(fundId), context, ({ state }) => {
      assertReachesFund(principal, state, true);
      return {
        type: 'RecordFundPayment',
        paymentId,
        allocationId,
        amount: payment.amount,
        documentNumber: payment.documentNumber,
        today: chinaDate(this.clock.now()),
      };
    });
  }
}
