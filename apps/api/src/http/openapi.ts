import type { OpenAPIObject } from '@nestjs/swagger';
import { PERMISSION_MATRIX } from '../auth/permission-matrix';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', example: 'VALIDATION_FAILED' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

const ERRORS: Record<string, string> = {
  '400': 'validation failed: `details` names each field',
  '401': 'no valid bearer token',
  '403': 'the role may not do this',
  '404': 'absent, or out of the caller’s reach (never told apart)',
  '409': 'not possible in the current state (`existingId` when the thing already exists)',
  '412': 'stale If-Match',
  '413': 'body too large',
  '422': 'a business rule refuses it (with its explanation)',
  '429': 'rate limited (Retry-After)',
  '503': 'the event store is unavailable; nothing was recorded',
};

/** `/v1/applications/:id` as OpenAPI writes it: `/v1/applications/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/**
 * Completes the generated document: every operation lists the contract's error responses
 * (one `ErrorResponse` schema), and routes anyone may call (anonymous 2xx in the permission
 * matrix: health, the public objection form, the list during publicity) need no token.
 */
export function completeOpenApi(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ErrorResponse = ERROR_SCHEMA as never;
  const publicRoutes = new Set(
    PERMISSION_MATRIX.filter((row) => row.expect.anonymous < 300).map(
      (row) => `${row.method.toLowerCase()} ${openApiPath(row.path)}`,
    ),
  );
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Record<string, unknown>>)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const isPublic = publicRoutes.has(`${method} ${path}`);
      if (isPublic) operation.security = [];
      const responses = operation.responses as Record<string, unknown>;
      for (const [status, description] of Object.entries(ERRORS)) {
        if (isPublic && (status === '401' || status === '403')) continue;
        responses[status] ??= {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
        };
      }
    }
  }
  return document;
}
