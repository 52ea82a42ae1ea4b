import {
  createRemoteJWKSet,
  errors as joseErrors,
  type JWTPayload,
  jwtVerify,
  SignJWT,
  type JWTVerifyGetKey,
} from 'jose';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { AppConfig } from '../config/config';
import { isJurisdiction, type Principal, ROLES, type Role } from './principal';
import { validateCreditCode } from '../identity/credit-code';

/** Why a token was refused. Logged (without the token); the client only sees 401. */
export class TokenRejectedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

type VerifierConfig = Pick<AppConfig, 'JWT_SECRET' | 'JWT_JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE'> &
  Partial<Pick<AppConfig, 'JWT_SECRET_PREVIOUS' | 'JWT_MAX_LIFETIME_SECONDS'>>;

/**
 * Actor names the engine itself records (timers, sagas, the public objection form, redacted
 * views): a token may not claim one, so the audit log never confuses a person with the engine.
 */
const RESERVED_SUBS = /^(system|timers|public|expert)$|^(system|saga|projection|processor|outbox):/i;

export function isReservedSub(sub: string): boolean {
  return RESERVED_SUBS.test(sub);
}

/**
 * Verifies bearer tokens. The algorithm is pinned: HS256 with JWT_SECRET, or the asymmetric
 * algorithms of the identity provider's JWKS when JWT_JWKS_URL is set — never both, so a token
 * "signed" with `none`, or with a public key used as an HMAC secret, is refused. `exp` and
 * `nbf` are checked (30 s clock tolerance), `iss` and `aud` when configured.
 *
 * Rotation: with JWT_SECRET_PREVIOUS set, a token whose signature does not match JWT_SECRET is
 * tried against the previous secret too (every other check is the same), so clients holding
 * tokens of the old secret keep working until those expire (docs/operations.md).
 */
export class TokenVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey;
  private readonly previousKey: KeyObject | undefined;
  private readonly algorithms: string[];
  /**
   * Tokens already verified, by their exact text (signature included), with the claims that
   * depend on the time: a hit re-checks `exp` and `nbf` against the clock with the same
   * tolerance as jose, every other check depends only on the token and the configuration.
   * Only with JWT_SECRET (fixed for the life of the process): a key that leaves the identity
   * provider's JWKS must stop working as soon as jose notices. Bearer tokens have no other
   * revocation (sessions are the cookie path, looked up every time). Verifying an HS256 token
   * was about a tenth of the api's CPU under bench:api (WebCrypto normalisation, HMAC).
   */
  private readonly verified: Map<string, VerifiedToken> | undefined;

  constructor(
    private readonly config: VerifierConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (config.JWT_JWKS_URL) {
      this.key = createRemoteJWKSet(new URL(config.JWT_JWKS_URL));
      this.algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
    } else {
      // Imported once: handing jose raw bytes re-imports the key on every verification, which
      // was 15% of the api's CPU under load (bench:api profile).
      this.key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
      this.algorithms = ['HS256'];
      if (config.JWT_SECRET_PREVIOUS && config.JWT_SECRET_PREVIOUS !== config.JWT_SECRET) {
        this.previousKey = createSecretKey(Buffer.from(config.JWT_SECRET_PREVIOUS, 'utf8'));
      }
      this.verified = new Map();
    }
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified?.get(token);
    if (cached) {
      const now = this.now().getTime() / 1000;
      if (cached.exp > now - CLOCK_TOLERANCE_SECONDS && cached.nbf <= now + CLOCK_TOLERANCE_SECONDS) {
        return { ...cached.principal };
      }
      // Expired (or, with a clock set back, not valid yet): jose says why.
      this.verified!.delete(token);
    }
    const { principal, notBefore } = await this.verifyUncached(token);
    if (this.verified && typeof principal.expiresAt === 'number') {
      if (this.verified.size >= VERIFIED_TOKENS_MAX) {
        // The oldest entry (Map keeps insertion order).
        this.verified.delete(this.verified.keys().next().value!);
      }
      this.verified.set(token, {
        principal: { ...principal },
        exp: principal.expiresAt,
        nbf: notBefore ?? -Infinity,
      });
    }
    return principal;
  }

  private async verifyUncached(token: string): Promise<{ principal: Principal; notBefore?: number }> {
    let payload: JWTPayload;
    try {
      payload = await this.verifyWith(token, this.key);
    } catch (error) {
      if (!(this.previousKey && error instanceof joseErrors.JWSSignatureVerificationFailed)) {
        throw new TokenRejectedError(describe(error));
      }
      try {
        payload = await this.verifyWith(token, this.previousKey);
      } catch (previousError) {
        throw new TokenRejectedError(describe(previousError));
      }
    }
    const maxLifetime = this.config.JWT_MAX_LIFETIME_SECONDS;
    if (maxLifetime !== undefined) {
      if (typeof payload.iat !== 'number') throw new TokenRejectedError('claim iat missing');
      if ((payload.exp ?? Infinity) - payload.iat > maxLifetime) {
        throw new TokenRejectedError(`token lives longer than ${maxLifetime} s (exp - iat)`);
      }
    }
    return {
      principal: toPrincipal(payload),
      ...(typeof payload.nbf === 'number' ? { notBefore: payload.nbf } : {}),
    };
  }

  private async verifyWith(token: string, key: KeyObject | JWTVerifyGetKey): Promise<JWTPayload> {
    const result = await jwtVerify(token, key as KeyObject, {
      algorithms: this.algorithms,
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: this.now(),
      requiredClaims: ['sub', 'exp'],
    });
    return result.payload;
  }
}

const CLOCK_TOLERANCE_SECONDS = 30;
/**
 * At most this many verified tokens are remembered (about 10 MB). More than the callers active at
 * once: cycling through more tokens than this (bench:api's 12,000 enterprises) misses every time.
 */
const VERIFIED_TOKENS_MAX = 20_000;

interface VerifiedToken {
  principal: Principal;
  /** Seconds since the epoch, as in the token. */
  exp: number;
  nbf: number;
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `claim ${error.claim} invalid: ${error.reason}`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid)
    return 'malformed token';
  if (error instanceof joseErrors.JOSEError) return error.code;
  return 'token could not be verified';
}

function toPrincipal(payload: JWTPayload): Principal {
  const role = payload.role;
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 128) {
    throw new TokenRejectedError('sub missing');
  }
  if (isReservedSub(payload.sub)) throw new TokenRejectedError('sub is reserved for the engine');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new TokenRejectedError('role missing or unknown');
  }
  const principal: Principal = { sub: payload.sub, role: role as Role };
  if (typeof payload.exp === 'number') principal.expiresAt = payload.exp;
  if (role === 'enterprise') {
    if (typeof payload.org !== 'string' || !/^[0-9A-Z]{18}$/.test(payload.org)) {
      throw new TokenRejectedError('enterprise token without a credit code in org');
    }
    // The check character too: a code that cannot exist names no enterprise.
    if (!validateCreditCode(payload.org).valid) {
      throw new TokenRejectedError('enterprise token whose org fails its check character');
    }
    principal.org = payload.org;
  }
  if (role === 'officer') {
    if (!isJurisdiction(payload.jurisdiction))
      throw new TokenRejectedError('officer token without a jurisdiction');
    principal.jurisdiction = payload.jurisdiction;
  }
  return principal;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `3600`, `"90s"`, `"15m"`, `"8h"`, `"30d"` as seconds. */
function lifetimeSeconds(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!match) throw new RangeError(`expiresIn ${JSON.stringify(value)}: use seconds or e.g. "8h"`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

/** Signs a development or test token with the HS256 secret. */
export async function signToken(
  principal: Principal,
  secret: string,
  options: { expiresIn?: string | number; issuer?: string; audience?: string; now?: Date } = {},
): Promise<string> {
  const claims: Record<string, unknown> = { role: principal.role };
  if (principal.org) claims.org = principal.org;
  if (principal.jurisdiction) claims.jurisdiction = principal.jurisdiction;
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.sub)
    .setIssuedAt(issuedAt)
    // Counted from `now` (jose would count a string such as "8h" from the wall clock).
    .setExpirationTime(issuedAt + lifetimeSeconds(options.expiresIn ?? '8h'));
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
