import { addDays, chinaDayStart, type IsoDate } from '@engine/platform';

/** The instant a period whose last day is `lastDay` (inclusive) is over: 00:00 China time the next day. */
export function endOfChinaDay(lastDay: string): string {
  return chinaDayStart(addDays(lastDay as IsoDate, 1)).toISOString();
}

/** 00:00 China time on `day`. */
export function startOfChinaDay(day: string): string {
  return chinaDayStart(day).toISOString();
}
