export * from './domain/policies';
export * from './policies/policy-catalog';

// Ports the apps bind (IncubationModule.forRoot).
export * from './use-cases/round-roster';

// Publicity, objections, the final list and the decisions after it.
export * from './use-cases/start-publicity/start-publicity.command';
export * from './use-cases/raise-objection/raise-objection.command';
export * from './use-cases/resolve-objection/resolve-objection.command';
export * from './use-cases/get-objection/get-objection.query';
export * from './use-cases/finalize-round/finalize-round.command';
export * from './use-cases/record-finance-opinion/record-finance-opinion.command';
export * from './use-cases/record-national-decision/record-national-decision.command';
export type { NoticeInput } from './use-cases/document-numbers/document-number-registry';

// The round's official documents.
export * from './use-cases/issue-admission-notice/issue-admission-notice.command';
export * from './use-cases/get-round-document/get-round-document.query';

// The domain: deciders, events, errors (pure). The application's events stay a deep import:
// their ReviewStage is not the policies' ReviewStage.
export * from './domain/application/application-views';
export * from './domain/application/application.decider';
export * from './domain/documents/document-number';
export * from './domain/enterprise/enterprise.decider';
export * from './domain/enterprise/enterprise.events';
export * from './domain/membership/membership.decider';
export * from './domain/membership/membership.events';
export * from './domain/round/round.decider';
export * from './domain/round/round.events';
export * from './domain/shared/domain-error';
export * from './domain/shared/domain-event';

// The modules the apps compose, the command handling they share, the sagas the worker runs.
export * from './incubation.module';
export * from './materials.module';
export * from './infrastructure/command-context';
export * from './infrastructure/handle-command';
export * from './infrastructure/material-integrity';
export * from './sagas';
export * from './use-cases/natural-ids';
export { PolicyLookup, type PolicySummary } from './use-cases/policy-lookup';
export * from './use-cases/reach';

// The other use cases' commands and queries (and what some of them answer).
export * from './use-cases/register-enterprise/register-enterprise.command';
export * from './use-cases/get-enterprise/get-enterprise.query';
export * from './use-cases/create-round/create-round.command';
export * from './use-cases/close-round/close-round.command';
export * from './use-cases/get-round/get-round.query';
export * from './use-cases/get-round-list/get-round-list.query';
export * from './use-cases/get-round-panels/get-round-panels.query';
export * from './use-cases/get-panels-to-draw/get-panels-to-draw.query';
export type { RoundInReach } from './use-cases/get-round/get-round.handler';
export * from './use-cases/create-application/create-application.command';
export type { CreatedApplication } from './use-cases/create-application/create-application.handler';
export * from './use-cases/update-application/update-application.command';
export * from './use-cases/submit-application/submit-application.command';
export * from './use-cases/review-application/review-application.command';
export * from './use-cases/get-application/get-application.query';
export type { ApplicationInSight } from './use-cases/get-application/get-application.handler';
export * from './use-cases/attach-material/attach-material.command';
export type { AttachedMaterial } from './use-cases/attach-material/attach-material.handler';
export * from './use-cases/store-objection-evidence/store-objection-evidence.command';
export { storedEvidenceFile } from './use-cases/store-objection-evidence/store-objection-evidence.handler';
export * from './use-cases/remove-material/remove-material.command';
export * from './use-cases/register-expert/register-expert.command';
export * from './use-cases/draw-panel/draw-panel.command';
export * from './use-cases/score-application/score-application.command';
export * from './use-cases/declare-conflict/declare-conflict.command';
export * from './use-cases/replace-overdue-expert/replace-overdue-expert.command';
export * from './use-cases/file-annual-report/file-annual-report.command';
export * from './use-cases/exit-membership/exit-membership.command';

// Funds (专项资金), the tech-retrofit fund's terms: what the HTTP edge sends and shows.
export * from './domain/fund/fund.events';
export { fundDecider, fundRemaining, type FundState, type FundAllocation } from './domain/fund/fund.decider';
export * from './domain/financing/subsidy-schedule';
export { EstablishFundCommand } from './use-cases/establish-fund/establish-fund.command';
export { AllocateFundCommand } from './use-cases/allocate-fund/allocate-fund.command';
export { RecordFundPaymentCommand } from './use-cases/record-fund-payment/record-fund-payment.command';
export { GetFundQuery } from './use-cases/get-fund/get-fund.query';
export * from './use-cases/get-financing-terms/get-financing-terms.query';

export * from './infrastructure/export-bundle';
export {
  type AnnualReportDue,
  GetAnnualReportsQuery,
} from './use-cases/get-annual-reports/get-annual-reports';

export { Registers, type ScreeningResult } from './use-cases/registers/registers';
export { GetExpertNamesQuery } from './use-cases/get-expert-names/get-expert-names';
