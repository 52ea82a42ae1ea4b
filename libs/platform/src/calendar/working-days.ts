/**
 * Working days on the official Chinese calendar (法定节假日与调休).
 *
 * The official arrangement of each year (holidays and the make-up working days, 调休上班) is
 * published by the General Office of the State Council, usually in November or December of the
 * year before. It comes from two places, the first that knows a year winning:
 * 1. calendar files installed at boot (`calendar/<year>.yaml`, arrangement.ts): a dated, reviewed
 *    transcription of the notice, so a new year is made official without a release;
 * 2. the `chinese-days` package, which transcribes every notice since 2004 and cites it in its
 *    source (node_modules/chinese-days/src/holidays/generate.ts).
 *
 * For a year neither covers yet, the engine does not pretend every weekday works:
 * it marks the statutory holidays of 全国年节及纪念日放假办法 (as amended in 2024) -- New Year's Day,
 * the Spring Festival eve and days 1-3, Qingming, 1-2 May, Dragon Boat, Mid-autumn, 1-3 October --
 * and weekends, without make-up days. Such results are *provisional*; {@link workingDayPeriod}
 * says so, and docs/policies.md describes the yearly update that makes them official.
 *
 * Counting rules (Civil Code arts. 201-203 and the notices this engine serves): the start day is
 * not counted; a period whose last day is not a working day ends on the next working day.
 */
import {
  getDayDetail,
  getHolidaysInRange,
  getSolarDateFromLunar,
  getSolarTermDate,
  isWorkday,
} from 'chinese-days';
import {
  addDays,
  addMonthsClamped,
  dayOfWeek,
  type IsoDate,
  parseIsoDate,
  toDayNumber,
  yearOf,
} from './iso-date';
import type { CalendarArrangement } from './arrangement';
import { holidayDays } from './arrangement';

export type DayKind =
  | 'working-day'
  | 'weekend'
  | 'holiday'
  /** A weekend day on which people work to make up for a holiday (调休上班). */
  | 'make-up-working-day'
  /** A statutory holiday in a year whose official arrangement is not in the data yet. */
  | 'provisional-holiday';

export interface DayInfo {
  date: IsoDate;
  working: boolean;
  kind: DayKind;
  /** Holiday name from the official data, e.g. "国庆节", when there is one. */
  name?: string;
  /** True when the official arrangement for this date's year is in the data. */
  official: boolean;
}

export interface WorkingDayPeriod {
  startsOn: IsoDate;
  endsOn: IsoDate;
  workingDays: number;
  /** True when some day of the period lies in a year the official data does not cover yet. */
  provisional: boolean;
}

const FIRST_OFFICIAL_YEAR = 2004;
let lastPackageYear: number | undefined;

interface InstalledYear {
  arrangement: CalendarArrangement;
  off: Map<IsoDate, string>;
  worked: Map<IsoDate, string>;
}
/** Installed calendar files by year: they take precedence over the package. */
let installed = new Map<number, InstalledYear>();

/**
 * Installs the calendar files read at boot (replacing any installed before): from now on their
 * years are official and their days are as the files say, whatever the package says.
 */
export function installCalendarArrangements(arrangements: readonly CalendarArrangement[]): void {
  installed = new Map(
    arrangements.map((arrangement) => [
      arrangement.year,
      {
        arrangement,
        off: new Map(arrangement.holidays.flatMap((h) => holidayDays(h).map((d) => [d, h.name] as const))),
        worked: new Map(arrangement.workingWeekends.map((w) => [w.date, w.for] as const)),
      },
    ]),
  );
}

/** The calendar files installed, by year. */
export function installedCalendarArrangements(): CalendarArrangement[] {
  return [...installed.values()].map((i) => i.arrangement).sort((a, b) => a.year - b.year);
}

function localNoon(date: IsoDate): Date {
  // chinese-days reads a Date with local getters; a local noon is the same calendar day in every zone.
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`"${String(date)}" is not a date in the form YYYY-MM-DD`);
  return new Date(parts.year, parts.month - 1, parts.day, 12);
}

/** The years the chinese-days package covers on its own. */
export function packageCoverage(): { firstYear: number; lastYear: number } {
  if (lastPackageYear === undefined) {
    let year = FIRST_OFFICIAL_YEAR;
    while (
      getHolidaysInRange(localNoon(`${year + 1}-01-01`), localNoon(`${year + 1}-12-31`), false).length > 0
    ) {
      year++;
    }
    lastPackageYear = year;
  }
  return { firstYear: FIRST_OFFICIAL_YEAR, lastYear: lastPackageYear };
}

/**
 * The years whose official arrangement is in the calendar data: the package's years, extended
 * by calendar files for the years right after them.
 */
export function officialCalendarCoverage(): { firstYear: number; lastYear: number } {
  const { firstYear } = packageCoverage();
  let { lastYear } = packageCoverage();
  while (installed.has(lastYear + 1)) lastYear++;
  return { firstYear, lastYear };
}

export function hasOfficialCalendar(year: number): boolean {
  if (installed.has(year)) return true;
  const { firstYear, lastYear } = packageCoverage();
  return year >= firstYear && year <= lastYear;
}

/**
 * What an operator must hear about the calendar data on `today` (the engine's date): nothing
 * while this year and, from December, next year are covered; otherwise which year runs on
 * provisional holidays until chinese-days is bumped (docs/policies.md, "Updating the calendar").
 * Reported by /health and logged at boot rather than failing a test on a date, so a late
 * State Council notice never breaks the build of unrelated work.
 */
export function calendarCoverageWarning(today: IsoDate): string | undefined {
  const year = Number(today.slice(0, 4));
  const { lastYear } = officialCalendarCoverage();
  if (year > lastYear) {
    return `the official holiday arrangement for ${year} is not installed: working days of ${year} are provisional`;
  }
  if (today.slice(5) >= '12-01' && year + 1 > lastYear) {
    return `the official holiday arrangement for ${year + 1} is not installed yet: add calendar/${year + 1}.yaml (or update chinese-days) before 1 January`;
  }
  return undefined;
}

const provisionalHolidayCache = new Map<number, Map<IsoDate, string>>();

function lunarToSolar(year: number, month: number, day: number): IsoDate {
  return getSolarDateFromLunar(new Date(year, month - 1, day, 12)).date;
}

/** Statutory holidays of 全国年节及纪念日放假办法 (2024 amendment) of a year, by date. */
export function statutoryHolidays(year: number): Map<IsoDate, string> {
  let holidays = provisionalHolidayCache.get(year);
  if (holidays) return holidays;
  holidays = new Map<IsoDate, string>();
  const add = (date: IsoDate, name: string) => holidays!.set(date, name);
  add(`${year}-01-01`, '元旦');
  const springFestival = lunarToSolar(year, 1, 1);
  add(addDays(springFestival, -1), '春节');
  for (let i = 0; i < 3; i++) add(addDays(springFestival, i), '春节');
  const qingming = getSolarTermDate(year, 4, 'pure_brightness');
  add(/^\d{4}-04-0[4-6]$/.test(qingming) ? qingming : `${year}-04-05`, '清明');
  add(`${year}-05-01`, '劳动节');
  add(`${year}-05-02`, '劳动节');
  add(lunarToSolar(year, 5, 5), '端午');
  add(lunarToSolar(year, 8, 15), '中秋');
  for (let d = 1; d <= 3; d++) add(`${year}-10-0${d}`, '国庆节');
  provisionalHolidayCache.set(year, holidays);
  return holidays;
}

/** What kind of day a date is, and whether the answer comes from the official arrangement. */
export function describeDay(date: IsoDate): DayInfo {
  const noon = localNoon(date);
  const weekend = [0, 6].includes(dayOfWeek(date));
  const year = yearOf(date);
  // A file's New Year holiday may begin in the last days of the year before.
  for (const file of [installed.get(year), installed.get(year + 1), installed.get(year - 1)]) {
    const off = file?.off.get(date);
    if (off) return { date, working: false, kind: 'holiday', name: off, official: true };
    const worked = file?.worked.get(date);
    if (worked) return { date, working: true, kind: 'make-up-working-day', name: worked, official: true };
  }
  if (installed.has(year)) {
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'working-day', official: true };
  }
  if (hasOfficialCalendar(year)) {
    const detail = getDayDetail(noon);
    const working = isWorkday(noon);
    const name = detail.name.includes(',') ? detail.name.split(',')[1] : undefined;
    if (working)
      return { date, working, kind: weekend ? 'make-up-working-day' : 'working-day', name, official: true };
    return { date, working, kind: name ? 'holiday' : 'weekend', name, official: true };
  }
  const name = statutoryHolidays(year).get(date);
  if (name) return { date, working: false, kind: 'provisional-holiday', name, official: false };
  return { date, working: !weekend, kind: weekend ? 'weekend' : 'working-day', official: false };
}

export function isWorkingDay(date: IsoDate): boolean {
  return describeDay(date).working;
}

/** The date itself when it is a working day, else the next working day (Civil Code art. 203). */
export function onOrNextWorkingDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  return onOrNextWorkingDay(addDays(date, 1));
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${what} must be a whole number >= 0, got ${n}`);
}

/**
 * The end of a period of `n` working days that starts on `start`: the start day is not counted,
 * so 10 working days from Monday 2025-09-22 end on Saturday 2025-10-11, a make-up working day,
 * after the National Day holiday of 1-8 October.
 * With n = 0 the period ends on the start day, or the next working day if the start is a holiday.
 */
export function workingDayPeriod(start: IsoDate, n: number): WorkingDayPeriod {
  assertCount(n, 'the number of working days');
  let provisional = !hasOfficialCalendar(yearOf(start));
  let day = start;
  if (n === 0) {
    day = onOrNextWorkingDay(start);
  } else {
    for (let counted = 0; counted < n;) {
      day = addDays(day, 1);
      if (isWorkingDay(day)) counted++;
    }
  }
  provisional ||= !hasOfficialCalendar(yearOf(day));
  return { startsOn: start, endsOn: day, workingDays: n, provisional };
}

/** `start` plus `n` working days, the start day not counted. */
export function addWorkingDays(start: IsoDate, n: number): IsoDate {
  return workingDayPeriod(start, n).endsOn;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let day = addDays(from, 1); toDayNumber(day) <= toDayNumber(to); day = addDays(day, 1)) {
    if (isWorkingDay(day)) count++;
  }
  return count;
}

/**
 * The last day of a period of `days` calendar days after `start` (start not counted), moved to
 * the next working day when it falls on a weekend or holiday.
 */
export function calendarDayPeriodEnd(start: IsoDate, days: number): IsoDate {
  assertCount(days, 'the number of days');
  return onOrNextWorkingDay(addDays(start, days));
}

/**
 * The last day of a period of `months` months after `start`: the corresponding day of the last
 * month, or that month's last day when it has none (Civil Code art. 202), moved to the next
 * working day when it falls on a weekend or holiday (art. 203). "Within 3 months" of 2025-11-30
 * ends on 2026-02-28: February has no 30th, and that Saturday is a make-up working day.
 */
export function monthPeriodEnd(start: IsoDate, months: number): IsoDate {
  assertCount(months, 'the number of months');
  return onOrNextWorkingDay(addMonthsClamped(start, months));
}
