import type { Principal } from '@engine/platform';
import type { FinancingDecision } from '../../domain/application/application.events';
import type { SubsidySchedule } from '../../domain/financing/subsidy-schedule';
import type { FinancingTerms } from '../../domain/policies/policy-types';

/** An approved tech-retrofit project's financing terms and the interest subsidy the city owes. */
export class GetFinancingTermsQuery {
  constructor(
    readonly applicationId: string,
    readonly principal: Principal,
  ) {}
}

export interface FinancingTermsView {
  applicationId: string;
  creditCode: string;
  programme: string;
  policyVersion: string;
  status: string;
  project: { name: string | null; totalInvestment: number | null; requestedFinancing: number | null };
  /** The day of the finance bureau's opinion (China date): the rate is the policy's on that day. */
  approvedOn: string;
  financing: FinancingDecision & { promotion: { from: string; to: string } | null };
  /** The pinned policy's terms the financing was decided under. */
  terms: FinancingTerms;
  /** Year by year from the day of the opinion (the loan's drawdown date is not recorded). */
  schedule: SubsidySchedule;
}
