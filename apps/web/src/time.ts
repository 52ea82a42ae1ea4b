import { isWorkday } from 'chinese-days';

/**
 * Working days from `since` (an instant or a day; its day in China not counted) to `today`
 * (`YYYY-MM-DD`, counted), on the Chinese official calendar. `today` is the engine's day
 * (`useServerToday`), not the browser's: a manual clock (demos, tests) moves it.
 */
export function workingDaysSince(since: string, today: string): number {
  const from = new Date(Date.parse(since.length === 10 ? `${since}T00:00:00Z` : since) + 8 * 3_600_000)
    .toISOString()
    .slice(0, 10);
  const end = Date.parse(`${today}T00:00:00Z`);
  let count = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`) + 86_400_000; t <= end; t += 86_400_000) {
    if (isWorkday(new Date(t).toISOString().slice(0, 10))) count++;
  }
  return count;
}

/** An instant shown in China Standard Time, minutes precision. */
export function chinaTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, -3);
}

/** `start` plus `n` working days, the start day not counted (as the engine counts a publicity period). */
export function addWorkingDays(start: string, n: number): string {
  let day = new Date(start.slice(0, 10) + 'T00:00:00Z');
  for (let counted = 0; counted < n;) {
    day = new Date(day.getTime() + 86_400_000);
    if (isWorkday(day.toISOString().slice(0, 10))) counted++;
  }
  return day.toISOString().slice(0, 10);
}
