/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters: registration authority (1), organisation category (1), administrative division
 * (6), organisation code (9), check character (1). Every character comes from a 31-character set
 * that leaves out I, O, S, V and Z; the check character is computed from the first 17 with fixed
 * weights (3^i mod 31) so that the weighted sum of all 18 is a multiple of 31.
 *
 * The validator reports the first thing that is wrong, as a typed problem, so the API can say
 * exactly why a code was refused.
 */

/** The 31 characters of GB 32100-2015, in value order (value = index). */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1-17 (3^(i-1) mod 31). */
export const CREDIT_CODE_WEIGHTS: readonly number[] = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

export const CREDIT_CODE_LENGTH = 18;

/** A string that has passed {@link validateCreditCode}. */
export type CreditCode = string & { readonly __brand: 'CreditCode' };

export type CreditCodeProblem =
  | { kind: 'not-a-string' }
  | { kind: 'length'; length: number; expected: typeof CREDIT_CODE_LENGTH }
  /** `position` is 1-based, as an officer would count. */
  | { kind: 'character'; position: number; character: string }
  | { kind: 'check-character'; expected: string; actual: string };

export type CreditCodeValidation =
  | { valid: true; code: CreditCode }
  | { valid: false; problem: CreditCodeProblem; message: string; messageZh: string };

const VALUES = new Map([...CREDIT_CODE_CHARSET].map((character, value) => [character, value]));

/**
 * The check character for the first 17 characters of a code.
 * @throws RangeError when `first17` is not 17 characters of the code's character set.
 */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = VALUES.get(first17[i]);
    if (value === undefined) throw new RangeError(`"${first17[i]}" at position ${i + 1} is not allowed`);
    sum += value * CREDIT_CODE_WEIGHTS[i];
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

/** Trims surrounding blanks and upper-cases; it does not make a wrong code right. */
export function normalizeCreditCode(input: string): string {
  return input.trim().toUpperCase();
}

function refuse(problem: CreditCodeProblem): CreditCodeValidation {
  switch (problem.kind) {
    case 'not-a-string':
      return { valid: false, problem, message: 'must be a string', messageZh: '必须是字符串' };
    case 'length':
      return {
        valid: false,
        problem,
        message: `must be 18 characters long, got ${problem.length}`,
        messageZh: `应为18位，实际${problem.length}位`,
      };
    case 'character': {
      const hint = /[a-z]/.test(problem.character) ? ' (letters must be upper case)' : '';
      return {
        valid: false,
        problem,
        message: `character "${problem.character}" at position ${problem.position} is not allowed${hint}; allowed: 0-9 and A-H J-N P-R T-U W-Y`,
        messageZh: `第${problem.position}位字符“${problem.character}”不合法（只允许数字和除 I、O、S、V、Z 以外的大写字母）`,
      };
    }
    case 'check-character':
      return {
        valid: false,
        problem,
        message: `check character is "${problem.actual}" but the first 17 characters require "${problem.expected}"`,
        messageZh: `校验码错误：应为“${problem.expected}”，实际为“${problem.actual}”`,
      };
  }
}

/**
 * Validates a code exactly as given (no trimming, no case folding: call
 * {@link normalizeCreditCode} first if the input comes from a form).
 */
export function validateCreditCode(input: unknown): CreditCodeValidation {
  if (typeof input !== 'string') return refuse({ kind: 'not-a-string' });
  const characters = [...input];
  if (characters.length !== CREDIT_CODE_LENGTH) {
    return refuse({ kind: 'length', length: characters.length, expected: CREDIT_CODE_LENGTH });
  }
  for (let i = 0; i < CREDIT_CODE_LENGTH; i++) {
    if (!VALUES.has(characters[i]))
      return refuse({ kind: 'character', position: i + 1, character: characters[i] });
  }
  const expected = creditCodeCheckCharacter(input.slice(0, 17));
  if (expected !== input[17]) return refuse({ kind: 'check-character', expected, actual: input[17] });
  return { valid: true, code: input as CreditCode };
}

export function isValidCreditCode(input: unknown): input is CreditCode {
  return validateCreditCode(input).valid;
}
