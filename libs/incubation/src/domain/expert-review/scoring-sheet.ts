import { invalid } from '../shared/domain-error';
import type { ScoringSheet } from '../policies/policy-types';
import { Rational } from '../policies/rational';

/** What an expert gives on one indicator of the sheet. */
export interface IndicatorScore {
  code: string;
  score: number;
  comment: string | null;
}

export interface SheetTotal {
  /** The integer total (0-100) that enters the panel's mean. */
  total: number;
  /** The exact weighted sum before rounding, as a decimal string (e.g. "81.5" or "≈ 81.33"). */
  exact: string;
  /** The indicators in the sheet's order. */
  indicators: IndicatorScore[];
}

/**
 * The total of a scoring sheet (评分表), computed by the engine, never typed: each indicator's
 * integer score (0 to its maximum) counts for its weight, total = Σ weight × score ÷ maxScore,
 * rounded half up to an integer (the panel works with integer scores, as the national
 * reference procedure does). When every weight equals its maximum score (the usual sheet:
 * "技术创新能力 30分"), the total is simply the sum and nothing is rounded.
 *
 * Every indicator must be scored exactly once; anything else is a validation error naming the
 * indicator.
 */
export function totalOfSheet(sheet: ScoringSheet, given: readonly IndicatorScore[]): SheetTotal {
  const details: { field: string; message: string }[] = [];
  const byCode = new Map<string, IndicatorScore>();
  given.forEach((entry, index) => {
    if (!sheet.indicators.some((i) => i.code === entry.code)) {
      details.push({
        field: `indicators[${index}].code`,
        message: `"${entry.code}" is not on the scoring sheet`,
      });
    } else if (byCode.has(entry.code)) {
      details.push({ field: `indicators[${index}].code`, message: `"${entry.code}" is scored twice` });
    } else {
      byCode.set(entry.code, entry);
    }
  });
  const indicators: IndicatorScore[] = [];
  let sum = Rational.ZERO;
  for (const indicator of sheet.indicators) {
    const entry = byCode.get(indicator.code);
    if (!entry) {
      details.push({
        field: 'indicators',
        message: `"${indicator.code}" (${indicator.label.zh}) is not scored`,
      });
      continue;
    }
    if (!Number.isInteger(entry.score) || entry.score < 0 || entry.score > indicator.maxScore) {
      details.push({
        field: `indicators.${indicator.code}.score`,
        message: `must be an integer from 0 to ${indicator.maxScore}`,
      });
      continue;
    }
    indicators.push({ code: indicator.code, score: entry.score, comment: entry.comment ?? null });
    const weight = Rational.of(Math.round(indicator.weight * 100), 100);
    sum = sum.add(weight.mul(Rational.of(entry.score, indicator.maxScore)));
  }
  if (details.length) {
    throw invalid('SCORE_INVALID', 'the scoring sheet is not filled in correctly', details);
  }
  // Half up: floor(sum + 1/2).
  const total = Number(sum.add(Rational.of(1, 2)).floor());
  return { total, exact: sum.toExactDecimal(6) ?? `≈ ${sum.toFixed(2)}`, indicators };
}
