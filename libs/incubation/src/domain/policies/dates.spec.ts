import { exactAge, latestFinancialYear, resolveReferenceDate } from './dates';
import { Rational } from './rational';

describe('reference dates', () => {
  it('given an application in March 2025 under "end-of-previous-year", when resolved, then it is 31 December 2024', () => {
    expect(resolveReferenceDate('end-of-previous-year', '2025-03-10')).toBe('2024-12-31');
    expect(resolveReferenceDate('end-of-previous-year', '2025-01-01')).toBe('2024-12-31');
  });

  it('given "application-date", when resolved, then it is the application date', () => {
    expect(resolveReferenceDate('application-date', '2021-06-15')).toBe('2021-06-15');
  });

  it('given an application date that is not a date, when resolved, then it is refused', () => {
    expect(() => resolveReferenceDate('application-date', '2021-02-30')).toThrow(RangeError);
  });

  it('given reference dates, when the latest closed financial year is asked, then 31 December closes its own year', () => {
    expect(latestFinancialYear('2024-12-31')).toBe(2024);
    expect(latestFinancialYear('2025-06-15')).toBe(2024);
  });
});

describe('exact age by anniversaries', () => {
  it('given the tenth anniversary on the reference date, when aged, then it is exactly 10 years', () => {
    const age = exactAge('2014-12-31', '2024-12-31');
    expect(age.value.eq(Rational.of(10))).toBe(true);
    expect(age.text).toBe('10 年整');
  });

  it('given one day past the tenth anniversary, when aged, then it is more than 10 years', () => {
    const age = exactAge('2014-12-30', '2024-12-31');
    expect(age.value.gt(Rational.of(10))).toBe(true);
    expect(age.value.lt(Rational.of(11))).toBe(true);
    expect(age.text).toBe('10 年 1 天');
  });

  it('given one day before the first anniversary, when aged, then it is under 1 year', () => {
    const age = exactAge('2024-01-01', '2024-12-31');
    expect(age.years).toBe(0);
    expect(age.text).toBe('0 年 11 个月 30 天');
    expect(age.value.lt(Rational.ONE)).toBe(true);
  });

  it('given a firm founded on 29 February, when aged in a common year, then the anniversary is 28 February', () => {
    expect(exactAge('2020-02-29', '2021-02-28').text).toBe('1 年整');
    expect(exactAge('2020-02-29', '2021-02-27').years).toBe(0);
  });

  it('given a mid-year founding, when aged at year end, then years, months and days are shown', () => {
    expect(exactAge('2019-05-20', '2024-12-31').text).toBe('5 年 7 个月 11 天');
  });

  it('given a founding after the date, when aged, then the age is negative', () => {
    expect(exactAge('2025-02-01', '2024-12-31').value.sign()).toBe(-1);
  });
});
