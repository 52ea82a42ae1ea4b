/**
 * Tech-retrofit financing read from a policy's `financing` terms: the cap on what a project may
 * borrow, the rate the enterprise pays on a day (a promotional window wins over the default),
 * and the yearly interest subsidy (贴息) the city budget owes the bank for the difference.
 *
 * One computation: the eligibility measure `financingCap` (measures.ts) and the finance bureau's
 * opinion (use-cases/record-finance-opinion) both call {@link financingCap}, so a project is never capped at
 * one figure by eligibility and another by the finance opinion.
 */
import { formatQuantity } from './format';
import type { FinancingTerms } from './policy-types';
import { Rational } from './rational';

export interface ProjectInvestment {
  /** 项目总投资, yuan. */
  totalInvestment: number;
  /** 其中固定资产投资, yuan (needed when the policy splits fixed assets and working capital). */
  fixedAssetInvestment?: number;
}

export interface FinancingLimit {
  value: Rational;
  /** e.g. "总投资 60,000,000元 × 70% = 42,000,000元". */
  text: string;
}

export type FinancingCap =
  { ok: true; cap: Rational; limits: FinancingLimit[]; basis: string } | { ok: false; missing: string[] };

const pct = (p: number) => Rational.parse(p).div(Rational.HUNDRED);
const yuan = (value: Rational) => formatQuantity(value, 'yuan');

/**
 * The most a project may borrow: the smallest of the absolute cap, the share of total
 * investment and, where the policy splits them (the 2022 rules: fixed assets at most 70% plus
 * working capital at most 10%), min(fixed share × total, fixed-asset investment) +
 * min(working share × total, the rest of the investment).
 */
export function financingCap(terms: FinancingTerms, project: ProjectInvestment): FinancingCap {
  const format = yuan;
  const t = Rational.parse(project.totalInvestment);
  const limits: FinancingLimit[] = [
    {
      value: Rational.parse(terms.maxAmount),
      text: `单个项目上限 ${format(Rational.parse(terms.maxAmount))}`,
    },
  ];
  const share = t.mul(pct(terms.maxSharePercent));
  limits.push({ value: share, text: `总投资 ${format(t)} × ${terms.maxSharePercent}% = ${format(share)}` });
  if (terms.maxFixedAssetSharePercent !== undefined || terms.maxWorkingCapitalSharePercent !== undefined) {
    if (project.fixedAssetInvestment === undefined)
      return { ok: false, missing: ['project.fixedAssetInvestment'] };
    const f = Rational.min(Rational.parse(project.fixedAssetInvestment), t);
    const fixedShare = terms.maxFixedAssetSharePercent ?? 0;
    const workingShare = terms.maxWorkingCapitalSharePercent ?? 0;
    const fixedPart = Rational.min(t.mul(pct(fixedShare)), f);
    const workingPart = Rational.min(t.mul(pct(workingShare)), t.sub(f));
    const sum = fixedPart.add(workingPart);
    limits.push({
      value: sum,
      text:
        `固定资产部分 min(${fixedShare}% × ${format(t)}, ${format(f)}) + ` +
        `流动资金部分 min(${workingShare}% × ${format(t)}, ${format(t.sub(f))}) = ${format(sum)}`,
    });
  }
  const cap = Rational.min(limits[0].value, ...limits.slice(1).map((l) => l.value));
  return { ok: true, cap, limits, basis: `min(${limits.map((l) => l.text).join('; ')})` };
}

/** The cap in whole yuan (a loan is granted in yuan: fractions are dropped). */
export function financingCapYuan(terms: FinancingTerms, project: ProjectInvestment): number | undefined {
  const result = financingCap(terms, project);
  return result.ok ? Number(result.cap.floor()) : undefined;
}

export interface RateOnDay {
  ratePercent: number;
  /** The promotional window that set the rate, if one did. */
  promotion: { from: string; to: string } | null;
}

/**
 * The yearly rate the enterprise pays for financing approved on `date` (YYYY-MM-DD): the rate of
 * a promotional window containing the date (the Xiamen fund's 2% from 1 April to 31 December
 * 2021), else the policy's rate.
 */
export function enterpriseRateOn(terms: FinancingTerms, date: string): RateOnDay {
  const promotion = terms.promotionalRates?.find((p) => p.from <= date && date <= p.to);
  return promotion
    ? { ratePercent: promotion.ratePercent, promotion: { from: promotion.from, to: promotion.to } }
    : { ratePercent: terms.ratePercent, promotion: null };
}

/**
 * The interest subsidy (贴息) the city budget owes each year: the bank's rate above what the
 * enterprise pays, on the amount, in whole yuan (fen rounded half up), 0 when the bank asks no
 * more than the enterprise pays.
 */
export function yearlyInterestSubsidy(
  amount: number,
  bankRatePercent: number,
  enterpriseRatePercent: number,
): number {
  const margin = Rational.parse(bankRatePercent).sub(Rational.parse(enterpriseRatePercent));
  if (margin.sign() <= 0) return 0;
  const yuanPerYear = Rational.parse(amount).mul(margin).div(Rational.HUNDRED);
  return Number(yuanPerYear.add(Rational.of(1, 2)).floor());
}
