/**
 * Exact rational numbers over BigInt, for every comparison that decides eligibility.
 *
 * Money is integer yuan and thresholds are decimals written by people ("3%", "7.1", "70.5"), so
 * every value the engine compares is a fraction. Comparing fractions by cross-multiplication
 * never drifts: 600,000 / 20,000,000 is exactly 3/100, and a panel mean of 351/5 is exactly 70.2.
 * Floats appear only when a value is *displayed* (and only for the CAGR root).
 */

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;
const FRACTION = /^([+-]?\d+)\/(\d+)$/;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

export type Sign = -1 | 0 | 1;

export class Rational {
  /** Always in lowest terms with a positive denominator. */
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);
  static readonly HUNDRED = new Rational(100n, 1n);

  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    const n = typeof num === 'bigint' ? num : Rational.integer(num);
    const d = typeof den === 'bigint' ? den : Rational.integer(den);
    if (d === 0n) throw new RangeError('division by zero');
    const g = gcd(n, d);
    const sign = d < 0n ? -1n : 1n;
    return new Rational((sign * n) / (g === 0n ? 1n : g), (sign * d) / (g === 0n ? 1n : g));
  }

  private static integer(value: number): bigint {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
    return BigInt(value);
  }

  /**
   * The exact value of a decimal as written: `7.1` is 71/10, not the binary float nearest 7.1.
   * A JavaScript number is read through its shortest round-trip form (`String(7.1) === "7.1"`),
   * which is what a YAML or JSON author wrote. Strings may also be fractions such as "351/5".
   */
  static parse(value: number | string | bigint): Rational {
    if (typeof value === 'bigint') return new Rational(value, 1n);
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new RangeError(`${value} is not a finite number`);
    const text = String(value).trim();
    const fraction = FRACTION.exec(text);
    if (fraction) return Rational.of(BigInt(fraction[1]), BigInt(fraction[2]));
    const match = DECIMAL.exec(text);
    if (!match) throw new RangeError(`"${text}" is not a decimal number`);
    const [, sign, whole, decimals = '', exponentText = '0'] = match;
    const exponent = Number(exponentText) - decimals.length;
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400)
      throw new RangeError(`"${text}" is out of range`);
    let num = BigInt(whole + decimals);
    if (sign === '-') num = -num;
    return exponent >= 0 ? Rational.of(num * pow10(exponent), 1n) : Rational.of(num, pow10(-exponent));
  }

  static tryParse(value: unknown): Rational | undefined {
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'bigint') return undefined;
    try {
      return Rational.parse(value);
    } catch {
      return undefined;
    }
  }

  static min(first: Rational, ...rest: Rational[]): Rational {
    return rest.reduce((a, b) => (b.lt(a) ? b : a), first);
  }

  static max(first: Rational, ...rest: Rational[]): Rational {
    return rest.reduce((a, b) => (b.gt(a) ? b : a), first);
  }

  static sum(values: Rational[]): Rational {
    return values.reduce((a, b) => a.add(b), Rational.ZERO);
  }

  add(other: Rational): Rational {
    return Rational.of(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  sub(other: Rational): Rational {
    return Rational.of(this.num * other.den - other.num * this.den, this.den * other.den);
  }

  mul(other: Rational): Rational {
    return Rational.of(this.num * other.num, this.den * other.den);
  }

  /** @throws RangeError on division by zero. */
  div(other: Rational): Rational {
    if (other.num === 0n) throw new RangeError('division by zero');
    return Rational.of(this.num * other.den, this.den * other.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  /** Integer powers (n >= 0), exact. */
  pow(n: number): Rational {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`exponent must be a whole number >= 0, got ${n}`);
    return new Rational(this.num ** BigInt(n), this.den ** BigInt(n));
  }

  /** The sign of this - other, by cross-multiplication. */
  compare(other: Rational): Sign {
    const left = this.num * other.den;
    const right = other.num * this.den;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  sign(): Sign {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  eq(other: Rational): boolean {
    return this.compare(other) === 0;
  }
  lt(other: Rational): boolean {
    return this.compare(other) < 0;
  }
  lte(other: Rational): boolean {
    return this.compare(other) <= 0;
  }
  gt(other: Rational): boolean {
    return this.compare(other) > 0;
  }
  gte(other: Rational): boolean {
    return this.compare(other) >= 0;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Largest integer <= this. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** This as a share in percent: 3/100 -> 3. */
  toPercent(): Rational {
    return this.mul(Rational.HUNDRED);
  }

  /** True when the value has a finite decimal expansion of at most `digits` decimals. */
  hasExactDecimals(digits: number): boolean {
    return (this.num * pow10(digits)) % this.den === 0n;
  }

  /**
   * The value rounded half away from zero to `digits` decimals, as a plain decimal string
   * ("1234.50"). Exact: no float is involved.
   */
  toFixed(digits: number): string {
    if (!Number.isSafeInteger(digits) || digits < 0 || digits > 100)
      throw new RangeError(`bad digits ${digits}`);
    const negative = this.num < 0n;
    const abs = negative ? -this.num : this.num;
    const scaled = abs * pow10(digits);
    let q = scaled / this.den;
    if ((scaled % this.den) * 2n >= this.den) q += 1n;
    const text = q.toString().padStart(digits + 1, '0');
    const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
    return negative && q !== 0n ? `-${body}` : body;
  }

  /** The shortest exact decimal when there is one with at most `maxDigits` decimals. */
  toExactDecimal(maxDigits = 20): string | undefined {
    for (let digits = 0; digits <= maxDigits; digits++) {
      if (this.hasExactDecimals(digits)) return this.toFixed(digits);
    }
    return undefined;
  }

  /** For display only (never for a decision). */
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
