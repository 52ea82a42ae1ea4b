import { AllocateFundHandler } from '../allocate-fund/allocate-fund.handler';
import { EstablishFundHandler } from '../establish-fund/establish-fund.handler';
import { RecordFundPaymentHandler } from '../record-fund-payment/record-fund-payment.handler';
import { GetFundHandler } from './get-fund.handler';

/** The funds' handlers (专项资金: establish, allocate, record a payment, read) */
export const FUND_HANDLERS = [
  EstablishFundHandler,
  AllocateFundHandler,
  RecordFundPaymentHandler,
  GetFundHandler,
];
