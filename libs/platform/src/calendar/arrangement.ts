/**
 * The State Council's yearly holiday arrangement (国务院办公厅关于X年部分节假日安排的通知) as
 * installable data: one dated, reviewed file per year under `calendar/` (`CALENDAR_DIR`), read
 * and validated at boot. An installed arrangement takes precedence over the `chinese-days`
 * package for its year, so a year the package does not cover yet (or covers wrongly) is made
 * official by adding a file, without a release of the engine. Format: docs/policies.md
 * ("Calendar files"); an example: calendar/2026.yaml.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { addDays, dayOfWeek, type IsoDate, isIsoDate, toDayNumber } from './iso-date';

export interface HolidayRange {
  name: string;
  from: IsoDate;
  to: IsoDate;
}

export interface CalendarArrangement {
  year: number;
  notice: { title: string; documentNumber: string | null; publishedOn: IsoDate; url: string | null };
  /** Who checked the file against the notice, and when: a file is installed only once reviewed. */
  reviewedBy: string;
  reviewedOn: IsoDate;
  /** Days off (放假), each range inclusive; weekends inside a range are listed with it. */
  holidays: HolidayRange[];
  /** Weekend days worked to make up for a holiday (调休上班). */
  workingWeekends: { date: IsoDate; for: string }[];
  /** sha-256 of the file's bytes: what the engine records when it installs it. */
  digest: string;
  /** Where it was read from (for messages). */
  source: string;
}

export class CalendarFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid calendar files:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CalendarFileError';
  }
}

const isoDate = z.string().refine((v) => isIsoDate(v), 'must be a date YYYY-MM-DD');
const fileSchema = z.strictObject({
  year: z.number().int().min(2004).max(2100),
  notice: z.strictObject({
    title: z.string().trim().min(1),
    documentNumber: z.string().trim().min(1).nullable(),
    publishedOn: isoDate,
    url: z.url().nullable(),
  }),
  reviewedBy: z.string().trim().min(1),
  reviewedOn: isoDate,
  holidays: z.array(z.strictObject({ name: z.string().trim().min(1), from: isoDate, to: isoDate })).min(1),
  workingWeekends: z.array(z.strictObject({ date: isoDate, for: z.string().trim().min(1) })),
});

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The days of a holiday range, in order. */
export function holidayDays(range: HolidayRange): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = range.from; toDayNumber(day) <= toDayNumber(range.to); day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * Parses and checks one file's text: the shape, the year against the file's name, every date
 * near its year, ranges in order, make-up days on weekends, no day both off and worked, and --
 * from 2025, under the 2024 amendment of 全国年节及纪念日放假办法 -- every statutory holiday of
 * the year given off (a typo in a date is caught rather than installed).
 */
export function parseCalendarFile(
  displayPath: string,
  text: string,
  statutory?: (year: number) => Map<IsoDate, string>,
): { ok: true; arrangement: CalendarArrangement } | { ok: false; problems: string[] } {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return { ok: false, problems: document.errors.map((e) => `${displayPath}: ${e.message.split('\n')[0]}`) };
  }
  const parsed = fileSchema.safeParse(document.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (i) => `${displayPath}: ${i.path.join('.') || '(file)'}: ${i.message}`,
      ),
    };
  }
  const file = parsed.data;
  const problems: string[] = [];
  const report = (where: string, message: string) => problems.push(`${displayPath}: ${where}: ${message}`);
  const expectedYear = /^(\d{4})\.ya?ml$/.exec(basename(displayPath))?.[1];
  if (expectedYear !== undefined && Number(expectedYear) !== file.year) {
    report('year', `is ${file.year} but the file is named for ${expectedYear}`);
  }
  const near = (date: IsoDate) =>
    toDayNumber(date) >= toDayNumber(`${file.year - 1}-12-20`) &&
    toDayNumber(date) <= toDayNumber(`${file.year + 1}-01-10`);
  const off = new Map<IsoDate, string>();
  file.holidays.forEach((range, i) => {
    if (toDayNumber(range.to) < toDayNumber(range.from))
      report(`holidays[${i}].to`, `is before "from" (${range.from})`);
    else if (!near(range.from) || !near(range.to)) report(`holidays[${i}]`, `lies outside ${file.year}`);
    else
      for (const day of holidayDays(range)) {
        if (off.has(day)) report(`holidays[${i}]`, `${day} is already off for ${off.get(day)}`);
        off.set(day, range.name);
      }
  });
  file.workingWeekends.forEach((w, i) => {
    if (!near(w.date)) report(`workingWeekends[${i}].date`, `lies outside ${file.year}`);
    const weekday = dayOfWeek(w.date);
    if (weekday !== 0 && weekday !== 6) {
      report(`workingWeekends[${i}].date`, `${w.date} is a ${WEEKDAYS[weekday]}, not a weekend day`);
    }
    if (off.has(w.date)) report(`workingWeekends[${i}].date`, `${w.date} is also listed as a holiday`);
  });
  if (statutory && file.year >= 2025) {
    for (const [date, name] of statutory(file.year)) {
      if (!off.has(date)) report('holidays', `the statutory holiday ${name} on ${date} is not given off`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    arrangement: {
      ...file,
      holidays: file.holidays,
      digest: createHash('sha256').update(text).digest('hex'),
      source: displayPath,
    },
  };
}

/**
 * Reads every `<year>.yaml` in `directory`, reporting every problem of every file at once.
 * A missing directory is no error (the package's data is used alone).
 * @throws CalendarFileError
 */
export function loadCalendarArrangements(
  directory: string,
  statutory?: (year: number) => Map<IsoDate, string>,
): CalendarArrangement[] {
  if (!existsSync(directory)) return [];
  if (!statSync(directory).isDirectory()) throw new CalendarFileError([`${directory}: not a directory`]);
  const root = basename(directory);
  const problems: string[] = [];
  const arrangements: CalendarArrangement[] = [];
  for (const name of readdirSync(directory).sort()) {
    if (name.startsWith('.') || !/\.ya?ml$/.test(name)) continue;
    const displayPath = `${root}/${name}`;
    if (!/^\d{4}\.ya?ml$/.test(name)) {
      problems.push(`${displayPath}: calendar files are named after their year, e.g. 2027.yaml`);
      continue;
    }
    const result = parseCalendarFile(displayPath, readFileSync(join(directory, name), 'utf8'), statutory);
    if (result.ok) arrangements.push(result.arrangement);
    else problems.push(...result.problems);
  }
  const years = arrangements.map((a) => a.year);
  for (const year of new Set(years.filter((y, i) => years.indexOf(y) !== i))) {
    problems.push(`${root}: ${year} is described by more than one file`);
  }
  if (problems.length > 0) throw new CalendarFileError(problems);
  return arrangements;
}
