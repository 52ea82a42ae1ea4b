import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppConfig } from '@engine/platform';
import { calendarCheckCommand } from './calendar-check.command';
import { EXIT } from './command';

const REPOSITORY_CALENDAR = resolve(__dirname, '../../../../calendar');
const FICTIONAL_2027 = resolve(__dirname, '../../../../libs/platform/src/calendar/testing/fictional-2027');
const config = { CALENDAR_DIR: REPOSITORY_CALENDAR } as AppConfig;

/** The operator's check of a new year's file before deploying it (docs/policies.md, "The yearly update"). */
describe('calendar-check', () => {
  let out: string[];
  let err: string[];
  beforeEach(() => {
    out = [];
    err = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  it("accepts the repository's 2026 file, which takes precedence over the package", async () => {
    expect(await calendarCheckCommand.run(['--json'], config)).toBe(EXIT.ok);
    const result = JSON.parse(out.join('\n'));
    expect(result.years).toEqual([
      expect.objectContaining({ year: 2026, effect: 'overrides-package', daysOff: 33, workingWeekends: 6 }),
    ]);
    expect(result.packageLastYear).toBe(2026);
  });

  it('says a 2027 file goes beyond the package: recorded at boot and provisional deadlines recomputed', async () => {
    expect(await calendarCheckCommand.run([FICTIONAL_2027], config)).toBe(EXIT.ok);
    expect(out.join('\n')).toMatch(/2027[\s\S]*(CalendarArrangementInstalled)[\s\S]*DeadlineRecomputed/);
  });

  it('refuses a mistyped file as the boot would (exit 78), naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-check-'));
    try {
      const text = readFileSync(join(FICTIONAL_2027, '2027.yaml'), 'utf8');
      writeFileSync(join(dir, '2027.yaml'), text.replace(/year: 2027/, 'year: 2028'));
      expect(await calendarCheckCommand.run([dir], config)).toBe(EXIT.config);
      expect(err.join('\n')).toContain('2027.yaml');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
