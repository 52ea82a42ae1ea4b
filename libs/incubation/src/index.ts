export * from './domain/policies';
export * from './policies/policy-catalog';

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
