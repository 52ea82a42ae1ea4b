import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  errorResponse,
  type Role,
  TokenRejectedError,
  TokenVerifier,
} from '@engine/platform';
import { HttpError } from '../http/http-error';
import { ALLOWED_ROLES, type AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';

/**
 * Every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may
 * call it. Missing or bad token: 401. Valid token, wrong role: 403. Refusals are logged with
 * the caller and the target, never the token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verifier: TokenVerifier;
  private readonly logger = new Logger('Security');

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(Clock) clock: Clock,
  ) {
    this.verifier = new TokenVerifier(config, () => clock.now());
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { headers: Record<string, string>; method: string; url: string }>();
    const header = request.headers.authorization;
    const target = `${request.method} ${request.url.split('?')[0]}`;
    if (!header || !/^Bearer [A-Za-z0-9._~+/=-]+$/.test(header)) {
      this.logger.warn(
        JSON.stringify({ event: 'access-refused', status: 401, reason: 'no bearer token', target }),
      );
      throw new HttpError(errorResponse(401, 'UNAUTHENTICATED', 'a valid bearer token is required'));
    }
    try {
      request.principal = await this.verifier.verify(header.slice('Bearer '.length));
    } catch (error) {
      const reason = error instanceof TokenRejectedError ? error.reason : 'verification failed';
      this.logger.warn(JSON.stringify({ event: 'access-refused', status: 401, reason, target }));
      throw new HttpError(errorResponse(401, 'UNAUTHENTICATED', 'a valid bearer token is required'));
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      this.logger.warn(
        JSON.stringify({
          event: 'access-refused',
          status: 403,
          caller: { sub: request.principal.sub, role: request.principal.role },
          target,
        }),
      );
      throw new HttpError(errorResponse(403, 'FORBIDDEN', `role ${request.principal.role} may not do this`));
    }
    return true;
  }
}
