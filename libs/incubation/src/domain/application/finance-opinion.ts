import { conflict, invalid, ruleViolated } from '../shared/domain-error';
import type { ProjectData } from '../policies/application-data';
import { enterpriseRateOn, financingCapYuan, yearlyInterestSubsidy } from '../policies/financing';
import type { FinancingTerms } from '../policies/policy-types';
import type { FinancingDecision } from './application.events';

/**
 * The finance bureau's opinion on a tech-retrofit project. An approval grants at most the cap
 * of the policy (domain/policies/financing.ts: the same computation as the eligibility rule
 * `financing-within-cap`) and at most what the enterprise asked for, for at most the policy's
 * term, at the rate the policy sets on the day of the opinion (a promotional window wins over
 * the default rate); the bank's rate, when stated, gives the yearly interest subsidy (贴息).
 */
/** What an approval grants, checked against the policy and the request; refuses what it cannot grant. */
export function approvedFinancing(
  terms: FinancingTerms | undefined,
  state: { data?: Record<string, unknown> },
  asked: Partial<FinancingDecision> | undefined,
  today: string,
): FinancingDecision {
  if (!terms) throw conflict('NO_FINANCING', 'this programme carries no financing');
  const project = (state.data as { project?: Partial<ProjectData> }).project ?? {};
  const amount = asked?.amount;
  if (amount === undefined || !Number.isSafeInteger(amount) || amount <= 0) {
    throw invalid('VALIDATION_FAILED', 'an approval states the financing amount', [
      { field: 'financing.amount', message: 'must be a positive integer number of yuan' },
    ]);
  }
  const cap =
    typeof project.totalInvestment === 'number'
      ? financingCapYuan(terms, {
          totalInvestment: project.totalInvestment,
          fixedAssetInvestment: project.fixedAssetInvestment,
        })
      : undefined;
  if (cap === undefined) {
    throw conflict(
      'PROJECT_INCOMPLETE',
      "the project's total and fixed-asset investment are needed for the cap",
    );
  }
  if (amount > cap) {
    throw ruleViolated('FINANCING_OVER_CAP', `at most ${cap} yuan for this project`, {
      cap,
      maxAmount: terms.maxAmount,
      maxSharePercent: terms.maxSharePercent,
      ...(terms.maxFixedAssetSharePercent !== undefined
        ? {
            maxFixedAssetSharePercent: terms.maxFixedAssetSharePercent,
            maxWorkingCapitalSharePercent: terms.maxWorkingCapitalSharePercent ?? 0,
          }
        : {}),
    });
  }
  if (typeof project.requestedFinancing === 'number' && amount > project.requestedFinancing) {
    throw ruleViolated(
      'FINANCING_OVER_REQUEST',
      `the enterprise asked for ${project.requestedFinancing} yuan; an approval cannot grant more`,
      { requested: project.requestedFinancing },
    );
  }
  const termYears = asked?.termYears ?? project.termYears ?? terms.maxTermYears;
  if (termYears > terms.maxTermYears) {
    throw ruleViolated('TERM_TOO_LONG', `the term is at most ${terms.maxTermYears} years`);
  }
  const rate = enterpriseRateOn(terms, today);
  if (asked?.ratePercent !== undefined && asked.ratePercent !== rate.ratePercent) {
    throw ruleViolated(
      'RATE_NOT_POLICY',
      `the policy sets the enterprise's rate at ${rate.ratePercent}% a year on ${today}` +
        (rate.promotion ? ` (promotion ${rate.promotion.from} to ${rate.promotion.to})` : ''),
      { ratePercent: rate.ratePercent, promotion: rate.promotion },
    );
  }
  const bankRatePercent = asked?.bankRatePercent ?? null;
  return {
    amount,
    ratePercent: rate.ratePercent,
    termYears,
    promotion: rate.promotion,
    bankRatePercent,
    yearlyInterestSubsidy:
      bankRatePercent === null ? null : yearlyInterestSubsidy(amount, bankRatePercent, rate.ratePercent),
    cap,
  };
}
