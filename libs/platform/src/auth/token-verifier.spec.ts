import { createHmac, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { creditCodeCheckCharacter } from '../identity/credit-code';
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
/** The caller as verified: the principal and when its token expires. */
const caller = { ...officer, expiresAt: expect.any(Number) };
const ORG = `91320214MA1XY0123${creditCodeCheckCharacter('91320214MA1XY0123')}`;

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
    await expect(verifier.verify(token)).resolves.toEqual(caller);
    const enterprise = await signToken({ sub: 'e-1', role: 'enterprise', org: ORG }, SECRET, { now: NOW });
    await expect(verifier.verify(enterprise)).resolves.toMatchObject({
      role: 'enterprise',
      org: ORG,
    });
  });

  it('refuses an enterprise token whose org fails its check character', async () => {
    const wrong = ORG.slice(0, 17) + (ORG[17] === '0' ? '1' : '0');
    const token = await signToken({ sub: 'e-1', role: 'enterprise', org: wrong }, SECRET, { now: NOW });
    await expect(verifier.verify(token)).rejects.toThrow('check character');
  });

  it('refuses a token that lives longer than JWT_MAX_LIFETIME_SECONDS, or lacks iat to tell', async () => {
    const capped = new TokenVerifier({ ...config, JWT_MAX_LIFETIME_SECONDS: 12 * 3600 }, () => NOW);
    await expect(
      capped.verify(await signToken(officer, SECRET, { now: NOW, expiresIn: '12h' })),
    ).resolves.toEqual(caller);
    await expect(
      capped.verify(await signToken(officer, SECRET, { now: NOW, expiresIn: '13h' })),
    ).rejects.toThrow('lives longer');
    const seconds = Math.floor(NOW.getTime() / 1000);
    const noIat = handMade({ alg: 'HS256', typ: 'JWT' }, { ...officer, exp: seconds + 60 }, SECRET);
    await expect(capped.verify(noIat)).rejects.toThrow('iat');
  });

  it('refuses a sub reserved for the engine’s own actors', async () => {
    for (const sub of ['system', 'timers', 'public', 'saga:deadlines', 'projection:applications']) {
      const token = await signToken({ ...officer, sub }, SECRET, { now: NOW });
      await expect(verifier.verify(token)).rejects.toThrow('reserved');
    }
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
    await expect(strict.verify(right)).resolves.toEqual(caller);
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

  it('never accepts an expired, not-yet-valid, wrongly signed, tampered or mis-addressed token (fuzz)', async () => {
    const ISSUER = 'https://idp.wuxi.gov.cn';
    const AUDIENCE = 'cultivation';
    const strict = new TokenVerifier({ ...config, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }, () => NOW);
    const now = NOW.getTime() / 1000;
    const good = { sub: 'officer-1', role: 'officer', jurisdiction: 'js.wuxi', iss: ISSUER, aud: AUDIENCE };
    // Each defect alone is enough to be refused; the generator also combines several.
    const defect = fc.oneof(
      fc
        .integer({ min: 31, max: 10 * 365 * 86400 })
        .map((ago) => ({ name: 'expired', claims: { exp: now - ago } })),
      fc.integer({ min: 31, max: 86400 * 30 }).map((ahead) => ({
        name: 'not yet valid',
        claims: { nbf: now + ahead, exp: now + ahead + 600 },
      })),
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((a) => a !== AUDIENCE)
        .map((aud) => ({ name: 'wrong audience', claims: { aud } })),
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((i) => i !== ISSUER)
        .map((iss) => ({ name: 'wrong issuer', claims: { iss } })),
      fc.constant({ name: 'no audience', claims: { aud: undefined } }),
      fc.constant({ name: 'no issuer', claims: { iss: undefined } }),
    );
    const signing = fc.oneof(
      fc.constant({ alg: 'HS256', key: SECRET }),
      fc.constantFrom('none', 'HS384', 'HS512', 'RS256', 'ES256', 'EdDSA', 'hs256', '').map((alg) => ({
        alg,
        key: SECRET,
      })),
      fc.string({ minLength: 32, maxLength: 64 }).map((key) => ({ alg: 'HS256', key })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(defect, { minLength: 0, maxLength: 3 }),
        signing,
        fc.boolean(),
        async (defects, { alg, key }, tamper) => {
          const clean = defects.length === 0 && alg === 'HS256' && key === SECRET && !tamper;
          fc.pre(!clean);
          const payload: Record<string, unknown> = { ...good, exp: now + 600 };
          for (const d of defects) Object.assign(payload, d.claims);
          for (const claim of Object.keys(payload)) if (payload[claim] === undefined) delete payload[claim];
          let token = handMade({ alg, typ: 'JWT' }, payload, key);
          if (alg === 'none') token = `${token.split('.').slice(0, 2).join('.')}.`;
          if (tamper) {
            // The same signature over a payload that now claims to be an admin.
            const [h, , sig] = token.split('.');
            token = `${h}.${b64({ ...payload, role: 'admin' })}.${sig}`;
          }
          await expect(strict.verify(token)).rejects.toBeInstanceOf(TokenRejectedError);
        },
      ),
      { numRuns: 300 },
    );
    // The generator's one clean combination is accepted: the refusals above are the defects'.
    await expect(
      strict.verify(handMade({ alg: 'HS256' }, { ...good, exp: now + 600 }, SECRET)),
    ).resolves.toEqual(caller);
  });

  describe('verified tokens are remembered until they expire, never longer', () => {
    it('refuses a token it accepted before once the clock passes its exp (30 s tolerance)', async () => {
      let now = NOW;
      const remembering = new TokenVerifier(config, () => now);
      const token = await signToken(officer, SECRET, { now: NOW, expiresIn: 600 });
      await expect(remembering.verify(token)).resolves.toEqual(caller);
      now = new Date(NOW.getTime() + 600_000 + 29_000);
      await expect(remembering.verify(token)).resolves.toEqual(caller);
      now = new Date(NOW.getTime() + 600_000 + 30_000);
      await expect(remembering.verify(token)).rejects.toThrow('token expired');
      // And it stays refused (the expired entry is gone, jose decides again).
      await expect(remembering.verify(token)).rejects.toThrow('token expired');
    });

    it('refuses a token it accepted before when the clock is set back before its nbf', async () => {
      let now = NOW;
      const remembering = new TokenVerifier(config, () => now);
      const seconds = NOW.getTime() / 1000;
      const token = handMade(
        { alg: 'HS256' },
        { ...officer, nbf: seconds - 10, exp: seconds + 3600 },
        SECRET,
      );
      await expect(remembering.verify(token)).resolves.toEqual(caller);
      now = new Date(NOW.getTime() - 60_000);
      await expect(remembering.verify(token)).rejects.toThrow(/claim nbf/);
    });

    it('remembers the exact token only: a tampered copy of an accepted token is still refused', async () => {
      const remembering = new TokenVerifier(config, () => NOW);
      const good = await signToken(officer, SECRET, { now: NOW });
      await expect(remembering.verify(good)).resolves.toEqual(caller);
      const [h, , s] = good.split('.');
      const tampered = `${h}.${b64({ ...officer, role: 'admin', exp: NOW.getTime() / 1000 + 60 })}.${s}`;
      await expect(remembering.verify(tampered)).rejects.toThrow('bad signature');
    });

    it('hands each caller its own principal (a caller changing it does not change the next)', async () => {
      const remembering = new TokenVerifier(config, () => NOW);
      const token = await signToken(officer, SECRET, { now: NOW });
      const first = await remembering.verify(token);
      first.role = 'admin';
      await expect(remembering.verify(token)).resolves.toEqual(caller);
    });
  });

  describe('secret rotation (JWT_SECRET_PREVIOUS)', () => {
    const NEW = 'the-new-secret-after-rotation-0123456789';
    const rotating = new TokenVerifier(
      { ...config, JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: SECRET },
      () => NOW,
    );

    it('accepts tokens of the new and of the previous secret', async () => {
      await expect(rotating.verify(await signToken(officer, NEW, { now: NOW }))).resolves.toEqual(caller);
      await expect(rotating.verify(await signToken(officer, SECRET, { now: NOW }))).resolves.toEqual(caller);
    });

    it('still applies every other check to tokens of the previous secret', async () => {
      const expired = await signToken(officer, SECRET, {
        now: new Date('2026-05-01T00:00:00Z'),
        expiresIn: 60,
      });
      await expect(rotating.verify(expired)).rejects.toThrow('token expired');
      const third = await signToken(officer, 'a-third-secret-nobody-configured-0123456', { now: NOW });
      await expect(rotating.verify(third)).rejects.toThrow('bad signature');
    });

    it('refuses the previous secret once it is no longer configured', async () => {
      const after = new TokenVerifier({ ...config, JWT_SECRET: NEW }, () => NOW);
      await expect(after.verify(await signToken(officer, SECRET, { now: NOW }))).rejects.toThrow(
        'bad signature',
      );
    });
  });
});
