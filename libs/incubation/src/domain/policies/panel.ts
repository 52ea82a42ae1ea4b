/**
 * The expert panel's verdict: the mean of independent scores against the policy's threshold,
 * compared exactly. "Above 70" (`>`) fails at a mean of 70 and passes at 70.2 (351/5) and at 71.
 */
import type { ExpertPanelSettings, PanelComparison } from './policy-types';
import { Rational } from './rational';

export interface PanelResult {
  passed: boolean;
  /** The exact mean, e.g. 351/5. */
  mean: Rational;
  /** The mean as shown, e.g. "70.2", "≈ 70.33". */
  meanText: string;
  /** e.g. "> 70" */
  required: string;
}

/** The exact mean of the scores. @throws RangeError when there are no scores or one is not finite. */
export function panelMean(scores: readonly number[]): Rational {
  if (scores.length === 0) throw new RangeError('a panel result needs at least one score');
  const values = scores.map((score) => {
    if (typeof score !== 'number' || !Number.isFinite(score))
      throw new RangeError(`score ${String(score)} is not a number`);
    return Rational.parse(score);
  });
  return Rational.sum(values).div(Rational.of(values.length));
}

export function panelResult(
  scores: readonly number[],
  threshold: number,
  comparison: PanelComparison,
): PanelResult {
  const mean = panelMean(scores);
  const bound = Rational.parse(threshold);
  const sign = mean.compare(bound);
  const passed = comparison === '>' ? sign > 0 : sign >= 0;
  const exact = mean.toExactDecimal(4);
  const meanText = exact ?? `≈ ${mean.toFixed(sign === 0 ? 2 : Math.max(2, digitsToSeparate(mean, bound)))}`;
  return {
    passed,
    mean,
    meanText,
    required: `${comparison === '>' ? '>' : '≥'} ${bound.toExactDecimal(6) ?? bound.toFixed(6)}`,
  };
}

function digitsToSeparate(value: Rational, bound: Rational): number {
  for (let digits = 2; digits <= 12; digits++) {
    if (Rational.parse(value.toFixed(digits)).compare(bound) === value.compare(bound)) return digits;
  }
  return 12;
}

/** True when the panel's mean score passes the threshold under the comparison. */
export function panelPasses(
  scores: readonly number[],
  threshold: number,
  comparison: PanelComparison,
): boolean {
  return panelResult(scores, threshold, comparison).passed;
}

/** The verdict under a policy's expert-panel settings. */
export function judgePanel(scores: readonly number[], settings: ExpertPanelSettings): PanelResult {
  return panelResult(scores, settings.passThreshold, settings.comparison);
}
