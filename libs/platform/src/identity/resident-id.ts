/**
 * Chinese resident identity card numbers (居民身份证号码), GB 11643-1999: 6 digits of the
 * address code, 8 of the birth date (YYYYMMDD), 3 of the sequence (odd for men, even for
 * women) and one check character, ISO 7064 MOD 11-2, `0`-`9` or `X`.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type ResidentIdValidation = { valid: true; normalized: string } | { valid: false; message: string };

/** The check character of the first 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('the first 17 characters must be digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * Checks an 18-character resident ID number: shape, a real birth date that is not in the
 * future (relative to `today`), and the check character. A lower-case `x` is accepted and
 * normalized to `X`. The message never repeats the number.
 */
export function validateResidentIdNumber(value: unknown, today: Date = new Date()): ResidentIdValidation {
  if (typeof value !== 'string') return { valid: false, message: 'must be a string' };
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { valid: false, message: 'must be 17 digits and a check digit or X' };
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    birth.getUTCFullYear() !== y ||
    birth.getUTCMonth() !== m - 1 ||
    birth.getUTCDate() !== d ||
    birth.getTime() > today.getTime()
  ) {
    return { valid: false, message: 'the birth date (characters 7 to 14) is not a real past date' };
  }
  if (residentIdCheckCharacter(id.slice(0, 17)) !== id[17]) {
    return { valid: false, message: 'the check character does not match (GB 11643-1999)' };
  }
  return { valid: true, normalized: id };
}

export function isResidentIdNumber(value: unknown, today?: Date): value is string {
  return validateResidentIdNumber(value, today).valid;
}
