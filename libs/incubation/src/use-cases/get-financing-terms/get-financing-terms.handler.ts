import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { chinaDate } from '@engine/platform';
import { applicationStream } from '../../domain/application/application.events';
import type { ProjectData } from '../../domain/policies/application-data';
import { subsidySchedule } from '../../domain/financing/subsidy-schedule';
import { conflict } from '../../domain/shared/domain-error';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertCanSeeApplication } from '../reach';
import { type FinancingTermsView, GetFinancingTermsQuery } from './get-financing-terms.query';

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
