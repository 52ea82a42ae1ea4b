import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { accessRefusedEvent, type RefusalStatus, type RefusedRequest } from '../auth/security-events';
import { HttpError } from './http-error';
import { EventStoreUnavailableError, InvalidEventError } from '@engine/event-store';
import { DomainError, IdempotencyKeyReusedError, PreconditionFailedError } from '@engine/incubation';
import { ReadModelRebuildingError } from '@engine/read-models';
import { errorResponse, type ErrorResponse, localizeError, negotiateLocale } from '@engine/platform';

/**
 * Every error leaves the API in the contract's shape, its message in zh-CN or en by
 * Accept-Language (libs/platform/src/http/error-messages.ts). Known HTTP errors keep their status;
 * anything unexpected is logged with its stack and answered 500 without internals.
 *
 * Every refused access leaves one `access-refused` line (context Security): 401 and 403 from
 * the guard or a handler, 429 from the rate limiter, and 404 on a route that exists (a
 * resource absent or out of the caller's reach, which the client must not tell apart).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');
  private readonly security = new Logger('Security');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toResponse(exception);
    if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const request = http.getRequest<RefusedRequest | undefined>();
    if (request) this.logRefusal(request, body, exception);
    // The message in the caller's language (zh-CN unless Accept-Language prefers en); the code
    // and the shape never change.
    const locale = negotiateLocale(
      (request as { headers?: Record<string, string | string[] | undefined> } | undefined)?.headers?.[
        'accept-language'
      ],
    );
    void reply
      .status(body.statusCode)
      .header('content-language', locale)
      .header('vary', 'Accept-Language')
      .send(localizeError(body, locale));
  }

  private logRefusal(request: RefusedRequest, body: ErrorResponse, exception: unknown): void {
    const status = body.statusCode;
    const matched = request.routeOptions?.url !== undefined;
    const refused =
      status === 401 ||
      status === 403 ||
      status === 429 ||
      (status === 404 && matched && isNotFound(exception));
    if (!refused) return;
    const reason =
      exception instanceof HttpError && exception.reason
        ? exception.reason
        : status === 404
          ? `${body.code}: absent or out of reach`
          : status === 429
            ? 'rate limit exceeded'
            : body.code;
    this.security.warn(JSON.stringify(accessRefusedEvent(request, status as RefusalStatus, reason)));
  }

  private toResponse(exception: unknown): ErrorResponse {
    if (exception instanceof DomainError) return domainErrorResponse(exception);
    if (exception instanceof PreconditionFailedError) {
      return { ...errorResponse(412, 'PRECONDITION_FAILED', exception.message), revision: exception.actual };
    }
    if (exception instanceof IdempotencyKeyReusedError) {
      return errorResponse(422, 'IDEMPOTENCY_KEY_REUSED', exception.message);
    }
    if (exception instanceof InvalidEventError) {
      // Input that got past validation but cannot be stored (e.g. too large): still the caller's.
      return errorResponse(400, 'VALIDATION_FAILED', exception.message, [
        { field: exception.field, message: exception.message },
      ]);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response) {
        return { ...(response as ErrorResponse), statusCode: status };
      }
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      return errorResponse(status, defaultCode(status), message);
    }
    // Fastify's own errors (body too large, bad JSON, unsupported media type) carry statusCode.
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      const status = fastifyError.statusCode;
      const code =
        fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : defaultCode(status);
      return errorResponse(status, code, fastifyError.message ?? 'bad request');
    }
    if (exception instanceof ReadModelRebuildingError) {
      return errorResponse(503, exception.code, exception.message);
    }
    if (exception instanceof EventStoreUnavailableError) {
      return errorResponse(
        503,
        'EVENT_STORE_UNAVAILABLE',
        'the event store is unavailable; nothing was recorded',
      );
    }
    return errorResponse(500, 'INTERNAL_ERROR', 'internal error');
  }
}

/** A resource the handler did not find or would not show, as opposed to an unknown route. */
function isNotFound(exception: unknown): boolean {
  return (
    (exception instanceof DomainError && exception.kind === 'not-found') ||
    (exception instanceof HttpError && exception.body.statusCode === 404)
  );
}

function defaultCode(status: number): string {
  switch (status) {
    case 400:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 412:
      return 'PRECONDITION_FAILED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 422:
      return 'BUSINESS_RULE_VIOLATED';
    case 429:
      return 'RATE_LIMITED';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  'too-large': 413,
  unsupported: 415,
};

function domainErrorResponse(error: DomainError): ErrorResponse {
  const status = DOMAIN_STATUS[error.kind];
  // Field details: what was malformed, or (403) which field asked beyond the caller's reach.
  if ((error.kind === 'invalid' || error.kind === 'forbidden') && Array.isArray(error.details)) {
    return errorResponse(status, error.code, error.message, error.details as ErrorResponse['details']);
  }
  const body: ErrorResponse = errorResponse(status, error.code, error.message);
  // A refused business rule carries its explanation (e.g. the eligibility checks).
  if (error.kind === 'rule' && error.details !== undefined) body.explanation = error.details;
  if ((error.kind === 'too-large' || error.kind === 'unsupported') && error.details !== undefined)
    body.limits = error.details;
  // A create that finds its thing already there names it (one application per round, one round per batch).
  const existingId = (error.details as { existingId?: unknown } | undefined)?.existingId;
  if (error.kind === 'conflict' && typeof existingId === 'string') body.existingId = existingId;
  return body;
}
