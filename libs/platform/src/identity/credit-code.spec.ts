import fc from 'fast-check';
import {
  CREDIT_CODE_CHARSET,
  creditCodeCheckCharacter,
  isValidCreditCode,
  normalizeCreditCode,
  validateCreditCode,
} from './credit-code';

/** Codes whose check character is right. */
const VALID = [
  // public codes quoted on published registrations
  ['Fuzhou (Fujian), public', '91350100M000100Y43'],
  ['Shenzhen, public', '91440300708461136T'],
  ['Beijing, public', '91110000802100433B'],
  ['Beijing, public, digit check', '911100001000128855'],
  // constructed for the engine's Wuxi, Xiamen and Weihai fixtures, check character by the standard
  ['Wuxi municipal', '91320200MA1MXXXXX8'],
  ['Wuxi Xinwu district', '91320214MA1N0HTX3B'],
  ['Xiamen', '91350200MA2Y3K8L06'],
  ['Weihai', '91371000MA3C4D5E60'],
  ['public institution (事业单位), check X', '12320200466286123X'],
] as const;

describe('unified social credit code (GB 32100-2015)', () => {
  describe.each(VALID)('given the valid code of %s', (_, code) => {
    it('when validated, then it is accepted as a CreditCode', () => {
      const result = validateCreditCode(code);
      expect(result).toEqual({ valid: true, code });
      expect(isValidCreditCode(code)).toBe(true);
    });

    it('when its check character is recomputed from the first 17, then it is the 18th', () => {
      expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
    });
  });

  it.each([
    ['91350100M000100Y44', '3', '4'],
    ['91440300708461136X', 'T', 'X'],
    ['91320214MA1N0HTX3C', 'B', 'C'],
    ['911100001000128850', '5', '0'],
  ])(
    'given %s with a wrong check character, when validated, then it is refused naming the expected one',
    (code, expected, actual) => {
      const result = validateCreditCode(code);
      expect(result.valid).toBe(false);
      if (result.valid) return;
      expect(result.problem).toEqual({ kind: 'check-character', expected, actual });
      expect(result.message).toContain(`require "${expected}"`);
      expect(result.messageZh).toContain('校验码错误');
    },
  );

  it.each([
    ['', 0],
    ['91350100M000100Y4', 17],
    ['91350100M000100Y433', 19],
  ])('given "%s" of the wrong length, when validated, then the problem is its length', (code, length) => {
    const result = validateCreditCode(code);
    expect(!result.valid && result.problem).toEqual({ kind: 'length', length, expected: 18 });
  });

  it.each([
    ['91350100M00010OY43', 15, 'O'],
    ['9135010OM000100Y43', 8, 'O'],
    ['91350100M000100I43', 16, 'I'],
    ['S1350100M000100Y43', 1, 'S'],
    ['91350100M000100Z43', 16, 'Z'],
    ['91350100M000100V43', 16, 'V'],
    ['91350100m000100y43', 9, 'm'],
    ['91350100M000100Y4 ', 18, ' '],
  ])(
    'given %s with a forbidden character, when validated, then the problem names position %d',
    (code, position, character) => {
      const result = validateCreditCode(code);
      expect(!result.valid && result.problem).toEqual({ kind: 'character', position, character });
    },
  );

  it('given lower-case input, when refused, then the message says letters must be upper case', () => {
    const result = validateCreditCode('91350100m000100y43');
    expect(!result.valid && result.message).toContain('upper case');
  });

  it('given a form value with blanks and lower case, when normalised first, then it validates', () => {
    expect(isValidCreditCode(normalizeCreditCode('  91350100m000100y43 '))).toBe(true);
  });

  it.each([[undefined], [null], [913501], [{}]])(
    'given the non-string %p, when validated, then it is refused',
    (value) => {
      expect(validateCreditCode(value)).toMatchObject({ valid: false, problem: { kind: 'not-a-string' } });
    },
  );

  it('given a first part with a forbidden character, when a check character is asked for, then it throws', () => {
    expect(() => creditCodeCheckCharacter('91350100M000100I4')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('9135')).toThrow(RangeError);
  });

  describe('properties', () => {
    const character = fc.constantFrom(...CREDIT_CODE_CHARSET);
    const body = fc.array(character, { minLength: 17, maxLength: 17 }).map((chars) => chars.join(''));

    it('any 17 allowed characters plus their check character form a valid code', () => {
      fc.assert(
        fc.property(body, (first17) => isValidCreditCode(first17 + creditCodeCheckCharacter(first17))),
      );
    });

    it('changing any one character of a valid code makes it invalid (31 is prime, no weight is 0)', () => {
      fc.assert(
        fc.property(body, fc.nat(17), character, (first17, position, replacement) => {
          const code = first17 + creditCodeCheckCharacter(first17);
          fc.pre(code[position] !== replacement);
          const changed = code.slice(0, position) + replacement + code.slice(position + 1);
          return !isValidCreditCode(changed);
        }),
      );
    });

    it('swapping two different neighbouring characters makes it invalid (neighbouring weights differ)', () => {
      fc.assert(
        fc.property(body, fc.nat(16), (first17, position) => {
          const code = first17 + creditCodeCheckCharacter(first17);
          fc.pre(code[position] !== code[position + 1]);
          const swapped =
            code.slice(0, position) + code[position + 1] + code[position] + code.slice(position + 2);
          return !isValidCreditCode(swapped);
        }),
      );
    });
  });
});
