import { isWorkday } from 'chinese-days';

/** Working days from `since` (exclusive) to today (inclusive), on the Chinese official calendar. */
export function workingDaysSince(since: string, today = new Date()): number {
  const day = new Date(since.slice(0, 10) + 'T00:00:00');
  let count = 0;
  for (let d = new Date(day.getTime() + 86_400_000); d <= today; d = new Date(d.getTime() + 86_400_000)) {
    if (isWorkday(d.toISOString().slice(0, 10))) count++;
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
