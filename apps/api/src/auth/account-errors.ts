import { Logger } from '@nestjs/common';
import { AccountError } from '@engine/read-models';
import { errorResponse } from '@engine/platform';
import { HttpError } from '../http/http-error';
import { accessRefusedEvent, type RefusedRequest } from './security-events';

/**
 * An account command's refusal as the contract's error (400, 404, 409, 422); anything else
 * rethrown. A refusal that names a field carries it in `details`, as validation does, so a form
 * can show the reason beside the field; `field` renames it where the request calls it
 * otherwise (the new password of a password change is `newPassword`).
 */
export async function accountCall<T>(work: Promise<T>, field?: Record<string, string>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AccountError)
      throw new HttpError(
        errorResponse(
          error.status,
          error.code,
          error.message,
          error.field ? [{ field: field?.[error.field] ?? error.field, message: error.message }] : undefined,
        ),
      );
    throw error;
  }
}

const security = new Logger('Security');

/**
 * A refusal the error filter does not log by its status (a 400 for a used or expired reset
 * link, a wrong TOTP at enrolment): one `access-refused` line all the same.
 */
export function logRefusal(request: RefusedRequest, status: number, reason: string): void {
  security.warn(JSON.stringify({ ...accessRefusedEvent(request, 401, reason), status }));
}
