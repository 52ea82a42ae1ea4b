import { Injectable, type PipeTransform } from '@nestjs/common';
import { errorResponse } from '@engine/platform';
import { HttpError } from './http-error';

/**
 * For commands that take no body (submit, close): nothing, `null` or `{}` is accepted;
 * anything else is refused, so a client that sends fields it thinks matter learns that
 * they are ignored instead of having the command run without them.
 */
@Injectable()
export class NoBodyPipe implements PipeTransform {
  transform(value: unknown): undefined {
    const empty =
      value === undefined ||
      value === null ||
      (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);
    if (!empty) {
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', 'this command takes no body', [
          { field: 'body', message: 'must be empty' },
        ]),
      );
    }
    return undefined;
  }
}
