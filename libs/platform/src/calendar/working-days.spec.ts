import fc from 'fast-check';
import { addDays } from './iso-date';
import {
  addWorkingDays,
  calendarDayPeriodEnd,
  describeDay,
  calendarCoverageWarning,
  hasOfficialCalendar,
  isWorkingDay,
  monthPeriodEnd,
  nextWorkingDay,
  officialCalendarCoverage,
  onOrNextWorkingDay,
  workingDayPeriod,
  workingDaysBetween,
} from './working-days';

describe('working days on the official Chinese calendar', () => {
  describe('2025 National Day and Mid-autumn: 1-8 October off, Sunday 28 September and Saturday 11 October worked', () => {
    it.each([
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ])('given %s, when asked, then it is a holiday', (date) => {
      expect(isWorkingDay(date)).toBe(false);
      expect(describeDay(date)).toMatchObject({ kind: 'holiday', official: true });
    });

    it.each(['2025-09-28', '2025-10-11'])(
      'given the weekend day %s, when asked, then it is a make-up working day',
      (date) => {
        expect(describeDay(date)).toMatchObject({
          working: true,
          kind: 'make-up-working-day',
          name: '国庆节',
          official: true,
        });
      },
    );

    it('given ordinary days around the holiday, when asked, then weekdays work and the other weekend days do not', () => {
      expect(isWorkingDay('2025-09-30')).toBe(true);
      expect(isWorkingDay('2025-10-09')).toBe(true);
      expect(isWorkingDay('2025-09-27')).toBe(false);
      expect(isWorkingDay('2025-10-12')).toBe(false);
    });

    it('given the last day before the holiday, when one working day is added, then it is 9 October', () => {
      expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    });

    it('given Friday 26 September, when one working day is added, then it is the make-up Sunday 28 September', () => {
      expect(addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    });

    it('given a 10-working-day publicity starting Thursday 25 September, when counted, then it ends on 15 October', () => {
      // 26, 28, 29, 30 Sep; 9, 10, 11, 13, 14, 15 Oct (the start day is not counted)
      expect(addWorkingDays('2025-09-25', 10)).toBe('2025-10-15');
      expect(workingDaysBetween('2025-09-25', '2025-10-15')).toBe(10);
    });

    it('given a start on a holiday, when one working day is added, then the first working day after it is counted', () => {
      expect(addWorkingDays('2025-10-03', 1)).toBe('2025-10-09');
    });

    it('given zero working days, when the start is a holiday, then the period ends on the next working day', () => {
      expect(addWorkingDays('2025-10-05', 0)).toBe('2025-10-09');
      expect(addWorkingDays('2025-09-30', 0)).toBe('2025-09-30');
    });

    it('given a calendar period whose last day is a holiday, when its end is asked, then it moves to the next working day', () => {
      expect(calendarDayPeriodEnd('2025-09-24', 7)).toBe('2025-10-09');
      expect(monthPeriodEnd('2025-07-01', 3)).toBe('2025-10-09');
      expect(monthPeriodEnd('2025-07-31', 2)).toBe('2025-09-30');
      expect(onOrNextWorkingDay('2025-10-12')).toBe('2025-10-13');
      expect(nextWorkingDay('2025-10-10')).toBe('2025-10-11');
    });
  });

  describe('2026 Spring Festival: 15-23 February off, Saturdays 14 and 28 February worked', () => {
    it.each([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ])('given %s, when asked, then it is a Spring Festival holiday', (date) => {
      expect(describeDay(date)).toMatchObject({
        working: false,
        kind: 'holiday',
        name: '春节',
        official: true,
      });
    });

    it.each(['2026-02-14', '2026-02-28'])(
      'given Saturday %s, when asked, then it is a make-up working day',
      (date) => {
        expect(describeDay(date)).toMatchObject({ working: true, kind: 'make-up-working-day', name: '春节' });
      },
    );

    it('given the make-up Saturday before the festival, when one working day is added, then it is Tuesday 24 February', () => {
      expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
      expect(addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    });

    it('given a 10-working-day period from Tuesday 10 February, when counted, then it ends on Monday 2 March', () => {
      // 11, 12, 13, 14 (make-up), 24, 25, 26, 27, 28 (make-up) Feb; 2 Mar
      expect(workingDayPeriod('2026-02-10', 10)).toEqual({
        startsOn: '2026-02-10',
        endsOn: '2026-03-02',
        workingDays: 10,
        provisional: false,
      });
    });

    it('given a 3-month period from 30 November 2025, when its end is asked, then it is 28 February 2026, a make-up working day', () => {
      expect(monthPeriodEnd('2025-11-30', 3)).toBe('2026-02-28');
    });
  });

  describe('the yearly update of the calendar data', () => {
    it('given the installed data, when its coverage is asked, then it runs from 2004 through at least 2026', () => {
      const coverage = officialCalendarCoverage();
      expect(coverage.firstYear).toBe(2004);
      expect(coverage.lastYear).toBeGreaterThanOrEqual(2026);
    });

    // When chinese-days is bumped (docs/policies.md, "Updating the calendar"), add a test pinning the
    // new year's Spring Festival and National Day like the ones above. Operators are warned by
    // /health and at boot (calendarCoverageWarning) when the engine's date outruns the data.
    it('given a date inside the covered years, when coverage is checked, then there is nothing to warn about', () => {
      const { lastYear } = officialCalendarCoverage();
      expect(hasOfficialCalendar(lastYear)).toBe(true);
      expect(calendarCoverageWarning(`${lastYear}-06-30`)).toBeUndefined();
    });

    it('given December of the last covered year, when coverage is checked, then the missing next year is announced', () => {
      const { lastYear } = officialCalendarCoverage();
      expect(calendarCoverageWarning(`${lastYear}-12-01`)).toContain(`${lastYear + 1} is not installed yet`);
      expect(calendarCoverageWarning(`${lastYear}-11-30`)).toBeUndefined();
    });

    it('given a year past the data, when coverage is checked, then its working days are reported as provisional', () => {
      const { lastYear } = officialCalendarCoverage();
      expect(calendarCoverageWarning(`${lastYear + 1}-01-01`)).toContain(
        `working days of ${lastYear + 1} are provisional`,
      );
      expect(hasOfficialCalendar(lastYear + 1)).toBe(false);
    });

    it('given a year the data does not cover yet, when asked, then statutory holidays are kept off, provisionally', () => {
      const year = officialCalendarCoverage().lastYear + 1;
      expect(describeDay(`${year}-01-01`)).toMatchObject({
        working: false,
        kind: 'provisional-holiday',
        official: false,
      });
      expect(describeDay(`${year}-10-02`)).toMatchObject({ working: false, kind: 'provisional-holiday' });
      const period = workingDayPeriod(`${year - 1}-12-24`, 10);
      expect(period.provisional).toBe(true);
      expect(isWorkingDay(period.endsOn)).toBe(true);
    });
  });

  it('given any time zone of the process, when days are asked, then the answer is the same calendar day', () => {
    const saved = process.env.TZ;
    try {
      for (const zone of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = zone;
        expect([isWorkingDay('2025-10-01'), isWorkingDay('2025-09-28'), isWorkingDay('2026-02-23')]).toEqual([
          false,
          true,
          false,
        ]);
      }
    } finally {
      process.env.TZ = saved;
    }
  });

  it('given a negative count, when working days are added, then it is refused', () => {
    expect(() => addWorkingDays('2025-10-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-10-01', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-02-30', 1)).toThrow(RangeError);
  });

  it('property: n working days after a start end on a working day, with exactly n working days in between', () => {
    const start = fc.integer({ min: 0, max: 3 * 365 }).map((offset) => addDays('2024-01-01', offset));
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 40 }), (from, n) => {
        const end = addWorkingDays(from, n);
        return (
          end > from &&
          isWorkingDay(end) &&
          workingDaysBetween(from, end) === n &&
          workingDaysBetween(from, addDays(end, -1)) === n - 1
        );
      }),
      { numRuns: 200 },
    );
  });
});
