import { yearlyInterestSubsidy } from '../policies/financing';
import { subsidySchedule } from './subsidy-schedule';

describe('interest subsidy schedule', () => {
  it('owes the margin over the enterprise’s 2% each year of a 5-year term, a full year being the yearly subsidy', () => {
    // 42 million at 2% (the 2021 promotion), bank at 3.85%: 1.85% = 777,000 yuan a year.
    const decision = { amount: 42_000_000, ratePercent: 2, termYears: 5, bankRatePercent: 3.85 };
    const schedule = subsidySchedule(decision, '2021-04-06');
    expect(schedule.periods.map((p) => [p.year, p.from, p.to, p.months, p.subsidy])).toEqual([
      [1, '2021-04-06', '2022-04-05', 12, 777_000],
      [2, '2022-04-06', '2023-04-05', 12, 777_000],
      [3, '2023-04-06', '2024-04-05', 12, 777_000],
      [4, '2024-04-06', '2025-04-05', 12, 777_000],
      [5, '2025-04-06', '2026-04-05', 12, 777_000],
    ]);
    expect(yearlyInterestSubsidy(42_000_000, 3.85, 2)).toBe(777_000);
    expect(schedule.total).toBe(3_885_000);
  });

  it('prorates a last part-year by months and rounds fen half up', () => {
    const schedule = subsidySchedule(
      { amount: 3_640_001, ratePercent: 2, termYears: 1.5, bankRatePercent: 3 },
      '2021-12-31',
    );
    expect(schedule.periods.map((p) => [p.from, p.to, p.months, p.subsidy])).toEqual([
      ['2021-12-31', '2022-12-30', 12, 36_400],
      ['2022-12-31', '2023-06-29', 6, 18_200],
    ]);
  });

  it('owes nothing when the bank asks no more than the enterprise pays, and cannot say without the bank’s rate', () => {
    expect(
      subsidySchedule({ amount: 1_000_000, ratePercent: 3, termYears: 1, bankRatePercent: 3 }, '2022-01-01')
        .total,
    ).toBe(0);
    const unknown = subsidySchedule(
      { amount: 1_000_000, ratePercent: 2, termYears: 2, bankRatePercent: null },
      '2022-01-01',
    );
    expect(unknown.total).toBeNull();
    expect(unknown.periods.map((p) => p.subsidy)).toEqual([null, null]);
  });
});
