import { randomUUID } from 'node:crypto';
import { type CommandContext, requestDigest } from '@engine/incubation';
import { errorResponse, type Principal } from '@engine/platform';
import { HttpError } from './http-error';

export interface CommandRequest {
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** Reads If-Match, Idempotency-Key and X-Correlation-Id into a command context. */
export function commandContext(request: CommandRequest, principal: Principal): CommandContext {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const correlation = header('x-correlation-id');
  const context: CommandContext = {
    actor: { sub: principal.sub, role: principal.role },
    correlationId: correlation && CORRELATION.test(correlation) ? correlation : randomUUID(),
  };
  const ifMatch = header('if-match');
  if (ifMatch !== undefined) {
    const match = /^"(\d{1,15})"$/.exec(ifMatch.trim());
    if (!match) {
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', 'If-Match must be a revision in quotes, as sent in ETag', [
          { field: 'If-Match', message: 'expected "<revision>"' },
        ]),
      );
    }
    context.ifMatch = Number(match[1]);
  }
  const key = header('idempotency-key');
  if (key !== undefined) {
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1 to 128 visible ASCII characters', [
          { field: 'Idempotency-Key', message: 'invalid' },
        ]),
      );
    }
    context.idempotencyKey = key;
    context.requestHash = requestDigest([request.method, request.url.split('?')[0], request.body ?? null]);
  }
  return context;
}
