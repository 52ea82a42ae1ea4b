import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from '@engine/platform';

export const PUBLIC_ROUTE = 'auth:public';
export const ALLOWED_ROLES = 'auth:roles';
export const DURING_ENROLMENT = 'auth:during-enrolment';

/** No token needed (health, the public objection endpoint). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only these roles may call the route; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/**
 * Callable by a session that must still enrol a second factor (AUTH_TOTP_REQUIRED_ROLES): the
 * enrolment itself, /v1/me and signing out. Every other route answers it 403.
 */
export const DuringEnrolment = () => SetMetadata(DURING_ENROLMENT, true);

/** The browser session behind a request authenticated by the `sid` cookie. */
export interface RequestSession {
  /** The cookie's value (the session id); never logged. */
  id: string;
  accountId: string;
  name: string;
  mfaEnrolment: boolean;
}

export interface AuthenticatedRequest {
  principal?: Principal;
  session?: RequestSession;
}

/** The verified caller of the request. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Caller used on a public route');
  return principal;
});
