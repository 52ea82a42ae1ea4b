/**
 * Dates the eligibility rules need: the reference date, the latest closed financial year, and an
 * enterprise's exact age.
 */
import {
  addMonthsClamped,
  addYearsClamped,
  compareIsoDates,
  type IsoDate,
  parseIsoDate,
  toDayNumber,
} from '@engine/platform/calendar/iso-date';
import type { ReferenceDateRule } from './policy-types';
import { Rational } from './rational';

export function resolveReferenceDate(rule: ReferenceDateRule, applicationDate: IsoDate): IsoDate {
  const parts = parseIsoDate(applicationDate);
  if (!parts) throw new RangeError(`application date "${applicationDate}" is not a date YYYY-MM-DD`);
  switch (rule) {
    case 'end-of-previous-year':
      return `${parts.year - 1}-12-31`;
    case 'application-date':
      return applicationDate;
  }
}

/** The last financial (calendar) year closed on or before the reference date. */
export function latestFinancialYear(referenceDate: IsoDate): number {
  const parts = parseIsoDate(referenceDate)!;
  return parts.month === 12 && parts.day === 31 ? parts.year : parts.year - 1;
}

export interface Age {
  /** Exact age in years: completed years plus the elapsed share of the current year, in days. */
  value: Rational;
  /** Completed years (anniversaries reached); negative when established after the date. */
  years: number;
  months: number;
  days: number;
  /** "10 年 4 个月 5 天", "10 年整" */
  text: string;
}

/**
 * Age at `at`, counted by anniversaries: the k-th anniversary of 2014-08-20 is 2014+k-08-20, and of
 * a 29 February the 28th in common years (Civil Code art. 202). "More than 1 year" therefore means
 * the first anniversary is strictly before the date, "at most 10 years" that the tenth is on or after
 * it: 10 years exactly passes "at most 10", 10 years and a day fails.
 */
export function exactAge(establishedOn: IsoDate, at: IsoDate): Age {
  const start = parseIsoDate(establishedOn);
  const end = parseIsoDate(at);
  if (!start || !end) throw new RangeError('dates must be YYYY-MM-DD');
  let years = end.year - start.year;
  while (compareIsoDates(addYearsClamped(establishedOn, years), at) > 0) years--;
  while (compareIsoDates(addYearsClamped(establishedOn, years + 1), at) <= 0) years++;
  const anniversary = addYearsClamped(establishedOn, years);
  const next = addYearsClamped(establishedOn, years + 1);
  const elapsed = toDayNumber(at) - toDayNumber(anniversary);
  const value = Rational.of(years).add(Rational.of(elapsed, toDayNumber(next) - toDayNumber(anniversary)));
  let months = 0;
  while (months < 11 && compareIsoDates(addMonthsClamped(anniversary, months + 1), at) <= 0) months++;
  const days = toDayNumber(at) - toDayNumber(addMonthsClamped(anniversary, months));
  const parts = [`${years} 年`];
  if (months > 0) parts.push(`${months} 个月`);
  if (days > 0) parts.push(`${days} 天`);
  const text = months === 0 && days === 0 ? `${years} 年整` : parts.join(' ');
  return { value, years, months, days, text };
}
