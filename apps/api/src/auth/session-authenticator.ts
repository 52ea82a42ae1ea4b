import { Inject, Injectable } from '@nestjs/common';
import { AccountService, type SessionView } from '@engine/read-models';
import { cookieValue, SESSION_COOKIE } from './session-cookies';

type Headers = Record<string, string | string[] | undefined>;

/**
 * Looks a request's `sid` cookie up once. The rate limiter (to count per account rather than
 * per address: a bureau's staff often share one address) and the auth guard both need it;
 * the lookup is remembered per request, as BearerAuthenticator does for tokens.
 */
@Injectable()
export class SessionAuthenticator {
  private readonly looked = new WeakMap<object, Promise<SessionView | undefined>>();

  constructor(@Inject(AccountService) private readonly accounts: AccountService) {}

  /** The session id the request carries, when it has no Authorization header (bearer wins). */
  static sessionId(request: { headers: Headers }): string | undefined {
    if (request.headers.authorization !== undefined) return undefined;
    return cookieValue(request.headers, SESSION_COOKIE);
  }

  /** The live session behind the request's cookie, or undefined. */
  session(request: { headers: Headers }): Promise<SessionView | undefined> {
    let result = this.looked.get(request);
    if (!result) {
      const id = SessionAuthenticator.sessionId(request);
      result = id === undefined ? Promise.resolve(undefined) : this.accounts.session(id);
      result.catch(() => undefined);
      this.looked.set(request, result);
    }
    return result;
  }
}
