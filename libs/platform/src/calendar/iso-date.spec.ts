import fc from 'fast-check';
import {
  addDays,
  addMonthsClamped,
  addYearsClamped,
  compareIsoDates,
  dayOfWeek,
  fromDayNumber,
  isIsoDate,
  parseIsoDate,
  toDayNumber,
} from './iso-date';

describe('ISO calendar dates', () => {
  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '25-01-01',
    '2025-1-1',
    '2025-01-01T00:00:00Z',
    '',
  ])('given "%s", when parsed, then it is not a date', (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
    expect(isIsoDate(text)).toBe(false);
  });

  it('given a leap day, when parsed, then its parts come back', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('given known weekdays, when asked, then 2025-10-01 is a Wednesday and 2026-02-17 a Tuesday', () => {
    expect(dayOfWeek('2025-10-01')).toBe(3);
    expect(dayOfWeek('2026-02-17')).toBe(2);
    expect(dayOfWeek('1969-12-31')).toBe(3);
  });

  it('given month ends, when months are added, then a missing day becomes the month end (Civil Code art. 202)', () => {
    expect(addMonthsClamped('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2025-03-31', -1)).toBe('2025-02-28');
    expect(addYearsClamped('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYearsClamped('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('given day numbers, when converted both ways, then every date round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => toDayNumber(fromDayNumber(n)) === n),
    );
  });

  it('given dates and offsets, when days are added, then string order and day order agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: -500, max: 500 }), (n, offset) => {
        const a = fromDayNumber(n);
        const b = addDays(a, offset);
        return (
          Math.sign(compareIsoDates(b, a)) === Math.sign(offset) &&
          Math.sign(b.localeCompare(a)) === Math.sign(offset)
        );
      }),
    );
  });
});
