import fc from 'fast-check';
import { isResidentIdNumber, residentIdCheckCharacter, validateResidentIdNumber } from './resident-id';

const TODAY = new Date('2026-06-01T00:00:00Z');

describe('resident ID numbers (GB 11643-1999)', () => {
  it('accepts numbers whose check character is right, X included, and normalizes a lower-case x', () => {
    expect(validateResidentIdNumber('11010519491231002X', TODAY)).toEqual({
      valid: true,
      normalized: '11010519491231002X',
    });
    expect(validateResidentIdNumber('11010519491231002x', TODAY)).toEqual({
      valid: true,
      normalized: '11010519491231002X',
    });
    const first17 = '32010219900101123';
    expect(isResidentIdNumber(first17 + residentIdCheckCharacter(first17), TODAY)).toBe(true);
  });

  it('refuses a wrong check character, a wrong length, letters, and impossible or future birth dates', () => {
    expect(validateResidentIdNumber('110105194912310021', TODAY)).toMatchObject({
      valid: false,
      message: expect.stringContaining('check character'),
    });
    for (const bad of ['11010519491231002', '1101051949123100212', '11010519491231002Y', 42, undefined]) {
      expect(isResidentIdNumber(bad, TODAY)).toBe(false);
    }
    const withBirth = (date: string) => {
      const first17 = `320102${date}123`;
      return first17 + residentIdCheckCharacter(first17);
    };
    expect(validateResidentIdNumber(withBirth('19900230'), TODAY)).toMatchObject({ valid: false });
    expect(validateResidentIdNumber(withBirth('20300101'), TODAY)).toMatchObject({ valid: false });
    expect(validateResidentIdNumber(withBirth('20000229'), TODAY)).toMatchObject({ valid: true });
  });

  it('detects every single-digit error (property)', () => {
    const valid = '11010519491231002X';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 9 }), (at, digit) => {
        fc.pre(valid[at] !== String(digit));
        const changed = valid.slice(0, at) + digit + valid.slice(at + 1);
        expect(validateResidentIdNumber(changed, TODAY).valid).toBe(false);
      }),
    );
  });

  it('never repeats the number in its message', () => {
    const result = validateResidentIdNumber('110105194912310021', TODAY);
    expect(result.valid ? '' : result.message).not.toContain('110105194912310021');
  });
});
