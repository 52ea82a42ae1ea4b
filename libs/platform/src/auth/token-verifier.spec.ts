import { createHmac, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { signToken, TokenRejectedError, TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';
const config = {
  JWT_SECRET: SECRET,
  JWT_JWKS_URL: undefined,
  JWT_ISSUER: undefined,
  JWT_AUDIENCE: undefined,
};
const NOW = new Date('2026-06-01T08:00:00Z');
const officer = { sub: 'officer-1', role: 'officer' as const, jurisdiction: 'js.wuxi' };

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
function handMade(header: object, payload: object, key: string | Buffer): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

describe('bearer token verification', () => {
  const verifier = new TokenVerifier(config, () => NOW);

  it('accepts a valid HS256 token and yields the caller', async () => {
    const token = await signToken(officer, SECRET, { now: NOW });
    await expect(verifier.verify(token)).resolves.toEqual(officer);
    const enterprise = await signToken(
      { sub: 'e-1', role: 'enterprise', org: '91320214MA1XYZ1234' },
      SECRET,
      { now: NOW },
    );
    await expect(verifier.verify(enterprise)).resolves.toMatchObject({
      role: 'enterprise',
      org: '91320214MA1XYZ1234',
    });
  });

  it('refuses expired, not-yet-valid, tampered and wrongly signed tokens', async () => {
    const expired = await signToken(officer, SECRET, {
      now: new Date('2026-05-01T00:00:00Z'),
      expiresIn: 60,
    });
    await expect(verifier.verify(expired)).rejects.toThrow('token expired');
    const future = handMade(
      { alg: 'HS256' },
      { sub: 'x', role: 'admin', nbf: NOW.getTime() / 1000 + 3600, exp: NOW.getTime() / 1000 + 7200 },
      SECRET,
    );
    await expect(verifier.verify(future)).rejects.toThrow(/claim nbf/);
    const good = await signToken(officer, SECRET, { now: NOW });
    const [h, , s] = good.split('.');
    const tampered = `${h}.${b64({ sub: 'officer-1', role: 'admin', exp: NOW.getTime() / 1000 + 60 })}.${s}`;
    await expect(verifier.verify(tampered)).rejects.toThrow('bad signature');
    const otherSecret = await signToken(officer, 'another-secret-another-secret-another', { now: NOW });
    await expect(verifier.verify(otherSecret)).rejects.toThrow('bad signature');
  });

  it('pins the algorithm: "none" and a public key used as an HMAC secret are refused', async () => {
    const exp = NOW.getTime() / 1000 + 600;
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'admin', exp })}.`;
    await expect(verifier.verify(none)).rejects.toBeInstanceOf(TokenRejectedError);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const confused = handMade({ alg: 'HS256' }, { sub: 'x', role: 'admin', exp }, pem);
    await expect(verifier.verify(confused)).rejects.toThrow('bad signature');
    const rs = handMade({ alg: 'RS256' }, { sub: 'x', role: 'admin', exp }, SECRET);
    await expect(verifier.verify(rs)).rejects.toThrow('algorithm not allowed');
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new TokenVerifier(
      { ...config, JWT_ISSUER: 'https://idp.wuxi.gov.cn', JWT_AUDIENCE: 'cultivation' },
      () => NOW,
    );
    const right = await signToken(officer, SECRET, {
      now: NOW,
      issuer: 'https://idp.wuxi.gov.cn',
      audience: 'cultivation',
    });
    await expect(strict.verify(right)).resolves.toEqual(officer);
    const wrongAudience = await signToken(officer, SECRET, {
      now: NOW,
      issuer: 'https://idp.wuxi.gov.cn',
      audience: 'other',
    });
    await expect(strict.verify(wrongAudience)).rejects.toThrow(/claim aud/);
    const noIssuer = await signToken(officer, SECRET, { now: NOW, audience: 'cultivation' });
    await expect(strict.verify(noIssuer)).rejects.toThrow(/claim iss/);
  });

  it('refuses tokens whose role claims do not fit the contract', async () => {
    const exp = NOW.getTime() / 1000 + 600;
    const cases = [
      { sub: 'x', role: 'superuser', exp },
      { sub: 'x', role: 'officer', exp }, // no jurisdiction
      { sub: 'x', role: 'officer', jurisdiction: 'JS..Wuxi', exp },
      { sub: 'x', role: 'enterprise', exp }, // no org
      { role: 'admin', exp }, // no sub
      { sub: 'x', role: 'admin' }, // no exp
    ];
    for (const payload of cases) {
      await expect(verifier.verify(handMade({ alg: 'HS256' }, payload, SECRET))).rejects.toBeInstanceOf(
        TokenRejectedError,
      );
    }
  });

  it('never accepts a random string or a mutated valid token (fuzz)', async () => {
    const valid = await signToken(officer, SECRET, { now: NOW });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (junk) => {
        await expect(verifier.verify(junk)).rejects.toBeInstanceOf(TokenRejectedError);
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.constantFrom(...'ABCxyz019-_.'),
        async (at, ch) => {
          fc.pre(valid[at] !== ch);
          const mutated = valid.slice(0, at) + ch + valid.slice(at + 1);
          // base64url's last character may carry unused bits: then it decodes to the same token,
          // which may verify, but never as anyone else.
          const sameCallerOrRefused = await verifier.verify(mutated).then(
            (principal) => JSON.stringify(principal) === JSON.stringify(officer),
            () => true,
          );
          expect(sameCallerOrRefused).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
