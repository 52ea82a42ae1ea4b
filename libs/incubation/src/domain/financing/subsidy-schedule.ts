import { addDays, addMonthsClamped, type IsoDate } from '@engine/platform';
import type { FinancingDecision } from '../application/application.events';
import { Rational } from '../policies/rational';

/** One year (or the last part-year) of the interest subsidy (贴息) the city budget owes. */
export interface SubsidyPeriod {
  /** 1 for the first year of the term. */
  year: number;
  from: IsoDate;
  /** Inclusive. */
  to: IsoDate;
  /** Months of the term in this period (12, or fewer in a last part-year). */
  months: number;
  /** Yuan for the period, or null when the bank's rate is not stated. */
  subsidy: number | null;
}

export interface SubsidySchedule {
  periods: SubsidyPeriod[];
  /** Yuan over the whole term, or null when the bank's rate is not stated. */
  total: number | null;
}

/**
 * The interest subsidy, year by year over the term, from `startsOn`: the bank's rate above the
 * enterprise's on the amount, for the months of each period, in whole yuan (fen rounded half
 * up), so a full year is `yearlyInterestSubsidy` (domain/policies/financing.ts) exactly. The
 * term is counted in whole months (a term of 2.5 years: two years and one of 6 months).
 */
export function subsidySchedule(decision: FinancingDecision, startsOn: IsoDate): SubsidySchedule {
  const totalMonths = Math.round(decision.termYears * 12);
  const bank = decision.bankRatePercent ?? null;
  const margin = bank === null ? null : Rational.parse(bank).sub(Rational.parse(decision.ratePercent));
  const periods: SubsidyPeriod[] = [];
  for (let start = 0, year = 1; start < totalMonths; start += 12, year++) {
    const months = Math.min(12, totalMonths - start);
    const subsidy =
      margin === null
        ? null
        : margin.sign() <= 0
          ? 0
          : Number(
              Rational.parse(decision.amount)
                .mul(margin)
                .div(Rational.HUNDRED)
                .mul(Rational.of(months, 12))
                .add(Rational.of(1, 2))
                .floor(),
            );
    periods.push({
      year,
      from: addMonthsClamped(startsOn, start),
      to: addDays(addMonthsClamped(startsOn, start + months), -1),
      months,
      subsidy,
    });
  }
  return {
    periods,
    total: margin === null ? null : periods.reduce((n, p) => n + (p.subsidy ?? 0), 0),
  };
}
