/**
 * How numbers appear in an explanation. Amounts are shown exactly; a ratio that has no short
 * exact decimal is shown rounded, marked "≈", and with as many decimals as it takes for the shown
 * value to stand on the same side of every threshold as the exact value. So an officer never sees
 * "3.00%" beside a failed "≥ 3%".
 */
import { Rational } from './rational';

export type Unit = 'yuan' | 'percent' | 'years' | 'count' | 'persons' | 'rank' | 'number';

/** Decimals shown by default for each unit. */
const BASE_DIGITS: Record<Unit, number> = {
  yuan: 0,
  percent: 2,
  years: 2,
  count: 0,
  persons: 0,
  rank: 0,
  number: 2,
};

/** "-1234567.5" -> "-1,234,567.5" */
export function groupDigits(decimal: string): string {
  const negative = decimal.startsWith('-');
  const body = negative ? decimal.slice(1) : decimal;
  const [whole, fraction] = body.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

export function withUnit(number: string, unit: Unit): string {
  switch (unit) {
    case 'yuan':
      return `${groupDigits(number)} 元`;
    case 'percent':
      return `${number}%`;
    case 'years':
      return `${number} 年`;
    case 'count':
      return `${groupDigits(number)} 项`;
    case 'persons':
      return `${groupDigits(number)} 人`;
    case 'rank':
      return `第 ${number} 名`;
    case 'number':
      return groupDigits(number);
  }
}

/**
 * The number as shown: exact when it has a short decimal form (money always does), otherwise
 * "≈" and enough decimals to agree with the exact value against every bound.
 */
export function displayNumber(value: Rational, unit: Unit, bounds: readonly Rational[] = []): string {
  const base = BASE_DIGITS[unit];
  if (value.hasExactDecimals(base)) return value.toFixed(base);
  if (unit === 'yuan' && value.hasExactDecimals(2)) return value.toExactDecimal(2)!;
  for (let digits = Math.max(base, 2); digits <= base + 12; digits++) {
    const shown = value.toFixed(digits);
    if (value.hasExactDecimals(digits)) return shown;
    const rounded = Rational.parse(shown);
    if (bounds.every((bound) => rounded.compare(bound) === value.compare(bound))) return `≈ ${shown}`;
  }
  return `≈ ${value.toFixed(base + 12)}`;
}

export function formatQuantity(value: Rational, unit: Unit, bounds: readonly Rational[] = []): string {
  const shown = displayNumber(value, unit, bounds);
  return shown.startsWith('≈ ') ? `≈ ${withUnit(shown.slice(2), unit)}` : withUnit(shown, unit);
}

/** A threshold as the bureau wrote it: exact ("3%", "20,000,000 元", "7.5%"). */
export function formatThreshold(value: Rational, unit: Unit): string {
  const exact = value.toExactDecimal(6);
  return exact === undefined ? formatQuantity(value, unit) : withUnit(exact, unit);
}

/** 20,000,000 元 */
export function formatYuan(amount: Rational | number | bigint): string {
  const value = amount instanceof Rational ? amount : Rational.parse(amount);
  return formatQuantity(value, 'yuan');
}
