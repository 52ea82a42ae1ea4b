import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { chinaDate } from '@engine/platform';
import type { FinancingDecision } from '../../domain/application/application.events';
import { applicationStream } from '../../domain/application/application.events';
import type { ProjectData } from '../../domain/policies/application-data';
import type { FinancingTerms } from '../../domain/policies/policy-types';
import { subsidySchedule, type SubsidySchedule } from '../../domain/financing/subsidy-schedule';
import { conflict } from '../../domain/shared/domain-error';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication } from '../reach';
import { GetFinancingTermsQuery } from './get-financing-terms.query';

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

/**
 * Reads what the finance bureau approved (FinanceOpinionRecorded) beside the pinned policy's
 * terms, and lays the interest subsidy out over the term. Folded on read: nothing is stored
 * that the application's stream does not already hold.
 */
@QueryHandler(GetFinancingTermsQuery)
export class GetFinancingTermsHandler implements IQueryHandler<GetFinancingTermsQuery, FinancingTermsView> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  async execute({ applicationId, principal }: GetFinancingTermsQuery): Promise<FinancingTermsView> {
    const application = await this.aggregates.application(applicationId);
    const created = assertCanSeeApplication(principal, application.state);
    const financing = application.state.financing;
    const terms = this.policies.get(created.policyVersion)?.financing;
    if (!financing || !terms) {
      throw conflict(
        'FINANCING_NOT_APPROVED',
        'no financing was approved for this application (a tech-retrofit project the finance bureau approved)',
      );
    }
    const history = await this.aggregates.history(applicationStream(applicationId));
    const opinion = history.filter((e) => e.type === 'FinanceOpinionRecorded').at(-1)!;
    const approvedOn = chinaDate(new Date(opinion.metadata.occurredAt));
    const project = ((application.state.data ?? {}) as { project?: Partial<ProjectData> }).project ?? {};
    return {
      applicationId,
      creditCode: created.creditCode,
      programme: created.programme,
      policyVersion: created.policyVersion,
      status: application.state.status,
      project: {
        name: project.name ?? null,
        totalInvestment: project.totalInvestment ?? null,
        requestedFinancing: project.requestedFinancing ?? null,
      },
      approvedOn,
      financing: {
        ...financing,
        promotion: financing.promotion ?? null,
        bankRatePercent: financing.bankRatePercent ?? null,
        yearlyInterestSubsidy: financing.yearlyInterestSubsidy ?? null,
      },
      terms,
      schedule: subsidySchedule(financing, approvedOn),
    };
  }
}
