import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  APP_CONFIG,
  type AppConfig,
  errorResponse,
  type Principal,
  type Role,
  TokenRejectedError,
} from '@engine/platform';
import { HttpError } from '../http/http-error';
import {
  ALLOWED_ROLES,
  type AuthenticatedRequest,
  DURING_ENROLMENT,
  PUBLIC_ROUTE,
  type RequestSession,
} from './auth.decorators';
import { BearerAuthenticator } from './bearer-authenticator';
import { SessionAuthenticator } from './session-authenticator';
import { csrfProblem, SAFE_METHODS } from './session-cookies';

type GuardedRequest = AuthenticatedRequest & {
  method: string;
  protocol?: string;
  host?: string;
  headers: Record<string, string | string[] | undefined>;
};

/**
 * Every route needs a caller unless marked @Public(); @Roles() narrows who may call it. A
 * caller is a valid bearer token (machines, the CLI, the test suites: unchanged) or, without
 * an Authorization header, the `sid` cookie of a live browser session (docs/security.md).
 * A write made with the cookie must come from an allowed Origin and carry X-CSRF-Token equal
 * to the `csrf` cookie and the session's token.
 *
 * Missing or bad credentials: 401. Valid caller, wrong role: 403. Cross-site write: 403
 * CSRF_REFUSED. The refusal's reason travels with the error to the ErrorFilter, which writes
 * the one security event per refused request (auth/security-events.ts), never a token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(BearerAuthenticator) private readonly authenticator: BearerAuthenticator,
    @Inject(SessionAuthenticator) private readonly sessions: SessionAuthenticator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      // Public, but a caller who shows a valid token may see more (a round's list before publicity).
      if (!request.principal && request.headers.authorization) {
        request.principal = await this.authenticator.authenticate(request).catch(() => undefined);
      } else if (
        !request.principal &&
        SAFE_METHODS.has(request.method.toUpperCase()) &&
        SessionAuthenticator.sessionId(request) !== undefined
      ) {
        // The same for the console's session cookie (a read only: no CSRF question arises), so a
        // signed-in officer reads a round's final list as a bearer token would.
        const session = await this.sessions.session(request).catch(() => undefined);
        if (session) {
          const { account } = session;
          const principal: Principal = { sub: account.account_id, role: account.role as Role };
          if (account.jurisdiction) principal.jurisdiction = account.jurisdiction;
          if (account.org) principal.org = account.org;
          request.principal = principal;
        }
      }
      return true;
    }
    if (SessionAuthenticator.sessionId(request) === undefined) {
      try {
        request.principal = await this.authenticator.authenticate(request);
      } catch (error) {
        // A token that was sent but refused must not leave a caller behind (the rate limiter
        // only sets one for a valid token, but be explicit).
        request.principal = undefined;
        const reason = error instanceof TokenRejectedError ? error.reason : 'verification failed';
        throw new HttpError(
          errorResponse(401, 'UNAUTHENTICATED', 'sign in, or send a valid bearer token'),
          reason,
        );
      }
    } else {
      await this.authenticateSession(request, targets);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(request.principal!.role)) {
      throw new HttpError(
        errorResponse(403, 'FORBIDDEN', `role ${request.principal!.role} may not do this`),
        `role ${request.principal!.role} not allowed`,
      );
    }
    return true;
  }

  private async authenticateSession(
    request: GuardedRequest,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ) {
    const id = SessionAuthenticator.sessionId(request)!;
    const session = await this.sessions.session(request);
    if (!session) {
      throw new HttpError(
        errorResponse(401, 'SESSION_ENDED', 'your session has ended; sign in again'),
        'session cookie unknown, signed out, expired, or its account disabled',
      );
    }
    const { account } = session;
    const principal: Principal = { sub: account.account_id, role: account.role as Role };
    if (account.jurisdiction) principal.jurisdiction = account.jurisdiction;
    if (account.org) principal.org = account.org;
    if (!SAFE_METHODS.has(request.method.toUpperCase())) {
      const problem = csrfProblem(this.config, request, session.csrf);
      if (problem) {
        // Known, so the security event names who was targeted.
        request.principal = principal;
        throw new HttpError(
          errorResponse(
            403,
            'CSRF_REFUSED',
            'this request did not come from the console: reload it and try again',
          ),
          problem,
        );
      }
    }
    request.principal = principal;
    const view: RequestSession = {
      id,
      accountId: account.account_id,
      name: account.name,
      mfaEnrolment: session.mfaEnrolment,
    };
    request.session = view;
    if (session.mfaEnrolment && !this.reflector.getAllAndOverride<boolean>(DURING_ENROLMENT, targets)) {
      throw new HttpError(
        errorResponse(
          403,
          'TOTP_ENROLMENT_REQUIRED',
          'your role must use a second factor: enrol an authenticator app first (POST /v1/auth/totp/enrol)',
        ),
        'second factor not enrolled',
      );
    }
  }
}
