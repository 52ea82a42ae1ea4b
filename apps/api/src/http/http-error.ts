import { HttpException } from '@nestjs/common';
import type { ErrorResponse } from '@engine/platform';

/** An HTTP error whose body is already in the contract's shape. */
export class HttpError extends HttpException {
  constructor(
    readonly body: ErrorResponse,
    /** Why access was refused, for the security log (never sent to the client). */
    readonly reason?: string,
  ) {
    super(body, body.statusCode);
  }
}
