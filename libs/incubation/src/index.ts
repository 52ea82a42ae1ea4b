export * from './domain/policies';
export * from './policies/policy-catalog';
// Funds (专项资金), the tech-retrofit fund's terms: what the HTTP edge sends and shows.
export * from './domain/fund/fund.events';
export { fundDecider, fundRemaining, type FundState, type FundAllocation } from './domain/fund/fund.decider';
export * from './domain/financing/subsidy-schedule';
export { parseDocumentNumber } from './domain/documents/document-number';
export { fundIdFor } from './use-cases/natural-ids';
export type { Aggregate } from './infrastructure/handle-command';
export { EstablishFundCommand } from './use-cases/establish-fund/establish-fund.command';
export { AllocateFundCommand } from './use-cases/allocate-fund/allocate-fund.command';
export { RecordFundPaymentCommand } from './use-cases/record-fund-payment/record-fund-payment.command';
export { GetFundQuery } from './use-cases/get-fund/get-fund.query';
export * from './use-cases/get-financing-terms/get-financing-terms.query';
