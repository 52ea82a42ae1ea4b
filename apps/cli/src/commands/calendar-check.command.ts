import { resolve } from 'node:path';
import {
  CalendarFileError,
  holidayDays,
  loadCalendarArrangements,
  packageCoverage,
  statutoryHolidays,
} from '@engine/platform';
import { type CliCommand, type CliOptionSpecs, EXIT, parseOptions } from './command';
import { t } from './locale';

const options = {
  json: { type: 'boolean', default: false, description: t('以 JSON 输出结果', 'print the result as JSON') },
} satisfies CliOptionSpecs;
const positional = [
  {
    syntax: '[dir]',
    description: t(
      '日历文件目录（默认 CALENDAR_DIR）',
      'the calendar files directory (default CALENDAR_DIR)',
    ),
  },
];

export interface CalendarCheckYear {
  year: number;
  source: string;
  digest: string;
  title: string;
  publishedOn: string;
  reviewedBy: string;
  reviewedOn: string;
  /** Days off the file lists, weekends inside its ranges included. */
  daysOff: number;
  /** Weekend days worked (调休上班). */
  workingWeekends: number;
  /**
   * `beyond-package`: the package has no data for the year; at boot the engine records
   * CalendarArrangementInstalled and the calendar saga recomputes the provisional deadlines.
   * `overrides-package`: the file takes precedence over the package's data for the year.
   */
  effect: 'beyond-package' | 'overrides-package';
}

/**
 * `calendar-check [dir]`: validates the calendar files the way the engine does at boot (every
 * problem of every file at once, exit 78 like a refused boot) and says what installing them
 * will do, so an operator checks a new year's file before deploying it.
 */
export const calendarCheckCommand: CliCommand = {
  name: 'calendar-check',
  usage: 'npm run cli -- calendar-check [dir] [--json]',
  summary: t(
    '校验节假日安排文件（与启动时相同的校验），并说明安装后的效果',
    'validate the holiday arrangement files as the engine does at boot, and say what installing them does',
  ),
  arguments: positional,
  options,
  async run(args, config) {
    const { values, positionals } = parseOptions('calendar-check', args, options, positional);
    const dir = resolve(positionals[0] ?? config.CALENDAR_DIR);
    let arrangements;
    try {
      arrangements = loadCalendarArrangements(dir, statutoryHolidays);
    } catch (error) {
      if (!(error instanceof CalendarFileError)) throw error;
      console.error(error.message);
      return EXIT.config;
    }
    const { lastYear } = packageCoverage();
    const years: CalendarCheckYear[] = arrangements.map((a) => ({
      year: a.year,
      source: a.source,
      digest: a.digest,
      title: a.notice.title,
      publishedOn: a.notice.publishedOn,
      reviewedBy: a.reviewedBy,
      reviewedOn: a.reviewedOn,
      daysOff: new Set(a.holidays.flatMap(holidayDays)).size,
      workingWeekends: a.workingWeekends.length,
      effect: a.year > lastYear ? 'beyond-package' : 'overrides-package',
    }));
    if (values.json) {
      console.log(JSON.stringify({ dir, packageLastYear: lastYear, years }, null, 2));
      return EXIT.ok;
    }
    console.log(t(`${dir}：${years.length} 个文件有效`, `${dir}: ${years.length} valid file(s)`));
    for (const y of years) {
      console.log(
        `  ${y.year}  ${y.title}（${y.publishedOn}）  ` +
          t(
            `放假 ${y.daysOff} 天，调休上班 ${y.workingWeekends} 天；复核 ${y.reviewedBy} ${y.reviewedOn}；sha256:${y.digest.slice(0, 12)}`,
            `${y.daysOff} days off, ${y.workingWeekends} make-up working days; reviewed by ${y.reviewedBy} on ${y.reviewedOn}; sha256:${y.digest.slice(0, 12)}`,
          ),
      );
      console.log(
        y.effect === 'beyond-package'
          ? t(
              `        chinese-days 未收录 ${y.year} 年：启动时记录 CalendarArrangementInstalled，并重算按法定节日暂定的期限（DeadlineRecomputed）`,
              `        chinese-days has no ${y.year}: at boot the engine records CalendarArrangementInstalled and recomputes the deadlines counted provisionally (DeadlineRecomputed)`,
            )
          : t(
              `        优先于 chinese-days 的 ${y.year} 年数据`,
              `        takes precedence over chinese-days' data for ${y.year}`,
            ),
      );
    }
    return EXIT.ok;
  },
};
