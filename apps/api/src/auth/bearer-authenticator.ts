import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  type Principal,
  TokenRejectedError,
  TokenVerifier,
} from '@engine/platform';

/** The bearer token of a request, when the Authorization header holds one that is well formed. */
export function bearerToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers.authorization;
  if (typeof header !== 'string' || !/^Bearer [A-Za-z0-9._~+/=-]+$/.test(header)) return undefined;
  return header.slice('Bearer '.length);
}

export class MissingTokenError extends TokenRejectedError {
  constructor() {
    super('no bearer token');
  }
}

/**
 * Verifies a request's bearer token once. The rate limiter (a Fastify hook, to key by caller)
 * and the auth guard both need the caller; the verification is remembered per request, so
 * the second asks for it at no cost.
 */
@Injectable()
export class BearerAuthenticator {
  private readonly verifier: TokenVerifier;
  private readonly verified = new WeakMap<object, Promise<Principal>>();

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(Clock) clock: Clock) {
    this.verifier = new TokenVerifier(config, () => clock.now());
  }

  /** The verified caller; rejects with TokenRejectedError (MissingTokenError without a token). */
  authenticate(request: { headers: Record<string, string | string[] | undefined> }): Promise<Principal> {
    let result = this.verified.get(request);
    if (!result) {
      const token = bearerToken(request.headers);
      result = token === undefined ? Promise.reject(new MissingTokenError()) : this.verifier.verify(token);
      // Whoever asks first may not be the one who handles a refusal.
      result.catch(() => undefined);
      this.verified.set(request, result);
    }
    return result;
  }
}
