export * from './domain/policies';
export * from './policies/policy-catalog';
export * from './infrastructure/export-bundle';
export {
  type AnnualReportDue,
  GetAnnualReportsQuery,
} from './use-cases/get-annual-reports/get-annual-reports';
export { GetExpertNamesQuery } from './use-cases/get-expert-names/get-expert-names';
