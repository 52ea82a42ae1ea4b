import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getDayDetail, isWorkday } from 'chinese-days';
import { CalendarFileError, loadCalendarArrangements, parseCalendarFile } from './arrangement';
import { addDays } from './iso-date';
import {
  describeDay,
  hasOfficialCalendar,
  installCalendarArrangements,
  officialCalendarCoverage,
  statutoryHolidays,
  workingDayPeriod,
} from './working-days';

const REPOSITORY_CALENDAR = resolve(__dirname, '../../../../calendar');
const FICTIONAL_2027 = resolve(__dirname, 'testing/fictional-2027');
const FIXTURE_TEXT = readFileSync(join(FICTIONAL_2027, '2027.yaml'), 'utf8');

afterEach(() => installCalendarArrangements([]));

function problemsOf(text: string, name = '2027.yaml'): string[] {
  const result = parseCalendarFile(`calendar/${name}`, text, statutoryHolidays);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems;
}

describe('calendar files (the State Council’s yearly arrangement as data)', () => {
  describe('given no file for 2027 (chinese-days stops at 2026)', () => {
    it('a publicity of 10 working days from 2027-09-28 is computed on statutory days only, and says it is provisional', () => {
      expect(hasOfficialCalendar(2027)).toBe(false);
      expect(workingDayPeriod('2027-09-28', 10)).toEqual({
        startsOn: '2027-09-28',
        endsOn: '2027-10-13',
        workingDays: 10,
        provisional: true,
      });
    });
  });

  describe('given a 2027 file installed', () => {
    beforeEach(() =>
      installCalendarArrangements(loadCalendarArrangements(FICTIONAL_2027, statutoryHolidays)),
    );

    it('the same publicity ends on the official day (three working days later), not provisional', () => {
      expect(hasOfficialCalendar(2027)).toBe(true);
      expect(officialCalendarCoverage().lastYear).toBeGreaterThanOrEqual(2027);
      expect(workingDayPeriod('2027-09-28', 10)).toEqual({
        startsOn: '2027-09-28',
        endsOn: '2027-10-18',
        workingDays: 10,
        provisional: false,
      });
    });

    it('its days off and make-up working days are what the file says', () => {
      expect(describeDay('2027-10-05')).toMatchObject({
        working: false,
        kind: 'holiday',
        name: '国庆节',
        official: true,
      });
      expect(describeDay('2027-10-09')).toMatchObject({
        working: true,
        kind: 'make-up-working-day',
        official: true,
      });
      expect(describeDay('2027-10-08')).toMatchObject({ working: true, kind: 'working-day', official: true });
      expect(describeDay('2027-10-16')).toMatchObject({ working: false, kind: 'weekend', official: true });
    });
  });

  describe('given a file for a year the package also covers', () => {
    it('the file takes precedence over the package', () => {
      const moved = FIXTURE_TEXT.replace(/2027/g, '2026')
        .replace(/holidays:[\s\S]*$/, '')
        .concat("holidays:\n  - { name: 元旦, from: '2026-01-01', to: '2026-01-01' }\nworkingWeekends: []\n");
      const result = parseCalendarFile('calendar/2026.yaml', moved);
      if (!result.ok) throw new Error(result.problems.join('\n'));
      expect(describeDay('2026-01-02').working).toBe(false); // the package: 元旦 1-3 January
      installCalendarArrangements([result.arrangement]);
      expect(describeDay('2026-01-02')).toMatchObject({ working: true, official: true });
    });

    it("the repository's calendar/2026.yaml agrees with chinese-days on every day of 2026", () => {
      const arrangements = loadCalendarArrangements(REPOSITORY_CALENDAR, statutoryHolidays);
      expect(arrangements.map((a) => a.year)).toContain(2026);
      const differences: string[] = [];
      const expected = (day: string) => {
        const [y, m, d] = day.split('-').map(Number);
        const noon = new Date(y, m - 1, d, 12);
        return { working: isWorkday(noon), name: getDayDetail(noon).name };
      };
      installCalendarArrangements(arrangements);
      for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
        if (describeDay(day).working !== expected(day).working) differences.push(day);
      }
      expect(differences).toEqual([]);
    });
  });

  describe('given a file with a mistake, when loaded, then it is refused naming the file and the field', () => {
    it('a make-up working day that is not a weekend day', () => {
      expect(
        problemsOf(FIXTURE_TEXT.replace("'2027-10-09', for: 国庆节", "'2027-10-08', for: 国庆节")),
      ).toEqual(['calendar/2027.yaml: workingWeekends[3].date: 2027-10-08 is a Friday, not a weekend day']);
    });

    it('a statutory holiday left out (a typo in a range)', () => {
      expect(
        problemsOf(
          FIXTURE_TEXT.replace(
            "from: '2027-10-01', to: '2027-10-07'",
            "from: '2027-10-02', to: '2027-10-07'",
          ),
        ),
      ).toEqual([
        'calendar/2027.yaml: holidays: the statutory holiday 国庆节 on 2027-10-01 is not given off',
      ]);
    });

    it('a year that does not match the file name, a range backwards, and an unknown field', () => {
      expect(problemsOf(FIXTURE_TEXT, '2028.yaml')).toContain(
        'calendar/2028.yaml: year: is 2027 but the file is named for 2028',
      );
      expect(
        problemsOf(
          FIXTURE_TEXT.replace(
            "from: '2027-06-09', to: '2027-06-09'",
            "from: '2027-06-09', to: '2027-06-08'",
          ),
        ),
      ).toContain('calendar/2027.yaml: holidays[4].to: is before "from" (2027-06-09)');
      expect(problemsOf(FIXTURE_TEXT.replace('reviewedBy:', 'reviewer:'))[0]).toMatch(
        /^calendar\/2027\.yaml: /,
      );
    });

    it('an unreviewed file', () => {
      expect(problemsOf(FIXTURE_TEXT.replace(/reviewedBy: .*\n/, ''))).toEqual([
        'calendar/2027.yaml: reviewedBy: Invalid input: expected string, received undefined',
      ]);
    });

    it('every problem of every file at once, at boot', () => {
      const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
      try {
        mkdirSync(join(dir, 'calendar'));
        writeFileSync(join(dir, 'calendar/2027.yaml'), FIXTURE_TEXT.replace("'2027-10-09'", "'2027-10-08'"));
        writeFileSync(join(dir, 'calendar/twenty-28.yaml'), 'year: 2028\n');
        expect(() => loadCalendarArrangements(join(dir, 'calendar'))).toThrow(CalendarFileError);
        try {
          loadCalendarArrangements(join(dir, 'calendar'));
        } catch (error) {
          expect((error as CalendarFileError).problems).toHaveLength(2);
        }
        expect(loadCalendarArrangements(join(dir, 'nowhere'))).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
