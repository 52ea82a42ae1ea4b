import { hashPassword, passwordProblem, verifyPassword } from './passwords';

describe('password rules', () => {
  it('asks for at least 10 characters, counted as people count them', () => {
    expect(passwordProblem('Short-1')).toMatch(/at least 10/);
    expect(passwordProblem('长城长城长城长城长城')).toBeUndefined();
  });

  it('refuses the login itself and the most common passwords, whatever their case', () => {
    expect(passwordProblem('Wang.Xinwu-01', 'wang.xinwu-01')).toMatch(/not be the login/);
    for (const common of ['password123', 'QWERTYUIOP', '1234567890', 'iloveyou12'])
      expect([common, passwordProblem(common)]).toEqual([common, expect.stringMatching(/most common/)]);
    expect(passwordProblem('Taihu-lake-2027!')).toBeUndefined();
  });

  it('hashes with argon2id, verifies, and answers false (after the same work) without a hash', async () => {
    const hash = await hashPassword('Taihu-lake-2027!');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(verifyPassword(hash, 'Taihu-lake-2027!')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'taihu-lake-2027!')).resolves.toBe(false);
    await expect(verifyPassword(null, 'Taihu-lake-2027!')).resolves.toBe(false);
    await expect(verifyPassword('not a hash', 'x')).resolves.toBe(false);
  });
});
