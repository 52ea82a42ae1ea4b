import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { errorResponse, type Role, TokenRejectedError } from '@engine/platform';
import { HttpError } from '../http/http-error';
import { ALLOWED_ROLES, type AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';
import { BearerAuthenticator } from './bearer-authenticator';

/**
 * Every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may
 * call it. Missing or bad token: 401. Valid token, wrong role: 403. The refusal's reason
 * travels with the error to the ErrorFilter, which writes the one security event per
 * refused request (auth/security-events.ts), never the token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(BearerAuthenticator) private readonly authenticator: BearerAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { headers: Record<string, string | string[] | undefined> }>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      // Public, but a caller who shows a valid token may see more (a round's list before publicity).
      if (!request.principal && request.headers.authorization) {
        request.principal = await this.authenticator.authenticate(request).catch(() => undefined);
      }
      return true;
    }
    try {
      request.principal = await this.authenticator.authenticate(request);
    } catch (error) {
      // A token that was sent but refused must not leave a caller behind (the rate limiter
      // only sets one for a valid token, but be explicit).
      request.principal = undefined;
      const reason = error instanceof TokenRejectedError ? error.reason : 'verification failed';
      throw new HttpError(errorResponse(401, 'UNAUTHENTICATED', 'a valid bearer token is required'), reason);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new HttpError(
        errorResponse(403, 'FORBIDDEN', `role ${request.principal.role} may not do this`),
        `role ${request.principal.role} not allowed`,
      );
    }
    return true;
  }
}
