import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { errorResponse } from '@engine/platform';
import { HttpError } from './http-error';

/** Flattens class-validator's tree into the contract's `details: [{ field, message }]`. */
export function flattenValidationErrors(
  errors: ValidationError[],
  parent = '',
): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Global validation: unknown properties are refused, nested DTOs validated, plain values
 * converted only where a DTO says so. Every failure is a 400 naming the fields.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      return new HttpError(
        errorResponse(
          400,
          'VALIDATION_FAILED',
          details.map((d) => `${d.field}: ${d.message}`).join('; ') || 'invalid request',
          details,
        ),
      );
    },
  });
}
