/**
 * A date as official documents write it (GB/T 9704-2012, 7.3.5.3: Arabic numerals, year in
 * full, month and day without leading zeros): `2026-12-07` → `2026年12月7日`.
 */
export function officialDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new Error(`not a date: ${isoDate}`);
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}
