import { isWorkday } from 'chinese-days';

/** A calendar day `YYYY-MM-DD` in China Standard Time. */
export function chinaDay(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Working days in (from, to], on the Chinese official calendar (adjusted workdays count). */
function workdaysBetween(from: string, to: string): number {
  let count = 0;
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`) + 86_400_000; t <= end; t += 86_400_000) {
    if (isWorkday(new Date(t).toISOString().slice(0, 10))) count++;
  }
  return count;
}

/**
 * Working days left until `dueOn` (inclusive) after today; negative once it has passed (the
 * working days it is overdue by).
 */
export function workingDaysUntil(dueOn: string, today = chinaDay()): number {
  return dueOn >= today ? workdaysBetween(today, dueOn) : -workdaysBetween(dueOn, today);
}
