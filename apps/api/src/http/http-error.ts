import { HttpException } from '@nestjs/common';
import type { ErrorResponse } from '@engine/platform';

/** An HTTP error whose body is already in the contract's shape. */
export class HttpError extends HttpException {
  constructor(readonly body: ErrorResponse) {
    super(body, body.statusCode);
  }
}
