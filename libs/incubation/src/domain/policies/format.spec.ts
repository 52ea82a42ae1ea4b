import { displayNumber, formatQuantity, formatThreshold, formatYuan, groupDigits } from './format';
import { Rational } from './rational';

const r = (value: number | string) => Rational.parse(value);

describe('how numbers appear in an explanation', () => {
  it.each([
    ['0', '0'],
    ['999', '999'],
    ['1000', '1,000'],
    ['20000000', '20,000,000'],
    ['-1234567.5', '-1,234,567.5'],
  ])('given %s, when grouped, then it reads %s', (input, output) => {
    expect(groupDigits(input)).toBe(output);
  });

  it('given money, when formatted, then it is exact integer yuan with the unit', () => {
    expect(formatYuan(20_000_000)).toBe('20,000,000 元');
    expect(formatYuan(r('1728395.1'))).toBe('1,728,395.1 元');
  });

  it('given an exact share, when shown, then it has two decimals and no "≈"', () => {
    expect(formatQuantity(r('3'), 'percent')).toBe('3.00%');
    expect(formatQuantity(Rational.of(1, 40).toPercent(), 'percent')).toBe('2.50%');
  });

  it('given a share just under a 3% threshold, when shown, then enough decimals show it is under', () => {
    const share = Rational.of(900_000, 30_000_003).toPercent(); // 2.99999970000003%
    expect(displayNumber(share, 'percent', [r(3)])).toBe('≈ 2.9999997');
    expect(displayNumber(share, 'percent')).toBe('≈ 3.00');
  });

  it('given a share just over a 3% threshold, when shown, then it is not shown as exactly 3.00%', () => {
    const share = Rational.of(300_001, 10_000_000).toPercent(); // 3.00001%
    expect(formatQuantity(share, 'percent', [r(3)])).toBe('3.00001%');
  });

  it('given a repeating decimal, when shown, then it is marked approximate', () => {
    expect(formatQuantity(Rational.of(1, 3).toPercent(), 'percent')).toBe('≈ 33.33%');
  });

  it.each([
    ['persons', '120', '120 人'],
    ['count', '3', '3 项'],
    ['years', '10', '10.00 年'],
    ['rank', '3', '第 3 名'],
  ] as const)('given the unit %s, when formatted, then the unit is written', (unit, value, shown) => {
    expect(formatQuantity(r(value), unit)).toBe(shown);
  });

  it('given thresholds as written by a bureau, when shown, then they are exact and short', () => {
    expect(formatThreshold(r(3), 'percent')).toBe('3%');
    expect(formatThreshold(r(7.5), 'percent')).toBe('7.5%');
    expect(formatThreshold(r(20_000_000), 'yuan')).toBe('20,000,000 元');
    expect(formatThreshold(r(10), 'years')).toBe('10 年');
  });
});
