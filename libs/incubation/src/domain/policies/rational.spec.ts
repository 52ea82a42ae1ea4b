import fc from 'fast-check';
import { Rational } from './rational';

const r = (value: number | string) => Rational.parse(value);
const bigint = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n });
const rational = fc
  .tuple(bigint, fc.bigInt({ min: 1n, max: 10n ** 12n }))
  .map(([num, den]) => Rational.of(num, den));
/** Integer yuan as money is stored: safe integers. */
const yuan = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
/** Percentages as bureaus write them: up to two decimals. */
const percent = fc.integer({ min: 1, max: 10_000 }).map((hundredths) => Rational.of(hundredths, 100));

describe('Rational', () => {
  describe('parsing decimals as written', () => {
    it.each([
      [7.1, '71/10'],
      ['7.10', '71/10'],
      [0.1, '1/10'],
      [3, '3'],
      ['-2.5', '-5/2'],
      [1e-7, '1/10000000'],
      ['1.5e3', '1500'],
      ['351/5', '351/5'],
      [20000000, '20000000'],
    ])('given %p, when parsed, then it is exactly %s', (input, expected) => {
      expect(r(input).toString()).toBe(expected);
    });

    it.each([['abc'], ['1,000'], [''], ['1/0'], [Number.NaN], [Number.POSITIVE_INFINITY]])(
      'given %p, when parsed, then it is refused',
      (input) => {
        expect(() => r(input)).toThrow(RangeError);
        expect(Rational.tryParse(input)).toBeUndefined();
      },
    );

    it('given 0.1 + 0.2 in floats, when the decimals are added exactly, then the sum is exactly 0.3', () => {
      expect(0.1 + 0.2 === 0.3).toBe(false);
      expect(r(0.1).add(r(0.2)).eq(r(0.3))).toBe(true);
    });
  });

  describe('boundaries that decide eligibility', () => {
    it('given R&D of exactly 3% of revenue, when compared with 3%, then it is equal, not below', () => {
      const share = Rational.of(600_000, 20_000_000).toPercent();
      expect(share.compare(r(3))).toBe(0);
    });

    it('given a panel mean of 351/5, when compared with 70, then it is above', () => {
      expect(Rational.of(351, 5).compare(r(70))).toBe(1);
      expect(Rational.of(351, 5).toExactDecimal()).toBe('70.2');
    });

    it('given the largest safe integer, when one is added, then nothing is lost', () => {
      const max = Rational.of(Number.MAX_SAFE_INTEGER);
      expect(max.add(Rational.ONE).toString()).toBe('9007199254740992');
      expect(max.add(Rational.ONE).gt(max)).toBe(true);
    });
  });

  describe('arithmetic', () => {
    it('given values, when divided by zero, then it is refused', () => {
      expect(() => r(1).div(Rational.ZERO)).toThrow(RangeError);
      expect(() => Rational.of(1, 0)).toThrow(RangeError);
    });

    it.each([
      ['7/2', 3n],
      ['-7/2', -4n],
      ['4', 4n],
      ['-4', -4n],
    ])('given %s, when floored, then it is %s', (value, floor) => {
      expect(r(value).floor()).toBe(floor);
    });

    it.each([
      ['1/3', 2, '0.33'],
      ['2/3', 2, '0.67'],
      ['1/8', 2, '0.13'],
      ['-1/8', 2, '-0.13'],
      ['-1/1000', 2, '0.00'],
      ['12345', 0, '12345'],
    ])(
      'given %s, when shown with %d decimals, then it is rounded half away from zero to %s',
      (value, digits, shown) => {
        expect(r(value).toFixed(digits)).toBe(shown);
      },
    );

    it('given 1.44 and 2 years, when raised to a power, then (6/5)^2 is exactly 36/25', () => {
      expect(r('6/5').pow(2).eq(r(1.44))).toBe(true);
    });
  });

  describe('properties', () => {
    it('addition and multiplication are exact: associative and distributive with no drift', () => {
      fc.assert(
        fc.property(rational, rational, rational, (a, b, c) => {
          return (
            a
              .add(b)
              .add(c)
              .eq(a.add(b.add(c))) && a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))
          );
        }),
      );
    });

    it('comparison agrees with cross-multiplication of the integers', () => {
      fc.assert(
        fc.property(
          bigint,
          fc.bigInt({ min: 1n, max: 10n ** 12n }),
          bigint,
          fc.bigInt({ min: 1n, max: 10n ** 12n }),
          (a, b, c, d) => {
            const expected = a * d < c * b ? -1 : a * d > c * b ? 1 : 0;
            return Rational.of(a, b).compare(Rational.of(c, d)) === expected;
          },
        ),
      );
    });

    it('a decimal shown with toFixed and parsed back is within half a unit of the last digit', () => {
      fc.assert(
        fc.property(rational, fc.integer({ min: 0, max: 8 }), (value, digits) => {
          const back = r(value.toFixed(digits));
          const half = Rational.of(1n, 2n * 10n ** BigInt(digits));
          const diff = back.sub(value);
          return diff.lte(half) && diff.neg().lte(half);
        }),
      );
    });

    it('money: sums of integer yuan are exact however large', () => {
      fc.assert(
        fc.property(fc.array(yuan, { maxLength: 30 }), (amounts) => {
          const exact = amounts.reduce((sum, amount) => sum + BigInt(amount), 0n);
          return Rational.sum(amounts.map((a) => Rational.of(a))).eq(Rational.of(exact));
        }),
      );
    });

    it('money: "at most X" passes at exactly X and fails one yuan above, for any X', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 1 }), (cap) => {
          const limit = Rational.of(cap);
          return Rational.of(cap).lte(limit) && !Rational.of(cap + 1).lte(limit);
        }),
      );
    });

    it('ratios: an R&D expense of exactly p% of revenue meets "at least p%", one yuan less does not', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10 ** 12 }), percent, (base, p) => {
          // revenue chosen so that p% of it is a whole number of yuan
          const revenue = Rational.of(base).mul(Rational.of(10_000));
          const rd = revenue.mul(p).div(Rational.HUNDRED);
          fc.pre(rd.isInteger());
          const share = (expense: Rational) => expense.div(revenue).toPercent();
          return share(rd).gte(p) && share(rd.sub(Rational.ONE)).lt(p);
        }),
      );
    });

    it('ratios: cross-multiplied comparison agrees with floats wherever floats are far from the boundary', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 10 ** 9 }),
          fc.integer({ min: 1, max: 10 ** 9 }),
          percent,
          (rd, revenue, p) => {
            const exact = Rational.of(rd, revenue).toPercent().compare(p);
            const float = (rd / revenue) * 100 - p.toNumber();
            fc.pre(Math.abs(float) > 1e-6);
            return exact === Math.sign(float);
          },
        ),
      );
    });

    it('currency: a dollar amount times a decimal rate is exact and ordered like the amounts', () => {
      fc.assert(
        fc.property(yuan, yuan, fc.integer({ min: 600, max: 800 }), (a, b, rateHundredths) => {
          const rate = Rational.of(rateHundredths, 100);
          return Math.sign(a - b) === Rational.of(a).mul(rate).compare(Rational.of(b).mul(rate));
        }),
      );
    });
  });
});
