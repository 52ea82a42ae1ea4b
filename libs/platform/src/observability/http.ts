import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { CORRELATION_ID_HEADER, correlationIdFrom, correlationStorage } from './correlation';
import type { Metrics } from './metrics';
import { tracer } from './tracing';

/**
 * Options for the Fastify instance: it logs through the process's pino logger, and the request
 * id *is* the correlation id (the caller's X-Correlation-Id when acceptable, else a new UUID).
 * Fastify's per-request lines are off: one line per request is written when it completes.
 */
export function fastifyLoggingOptions(logger: Logger) {
  return {
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (request: IncomingMessage) => correlationIdFrom(request.headers[CORRELATION_ID_HEADER]),
    // No child logger per request: the logger's mixin adds the correlation id of the request
    // in progress to every line, whoever writes it.
    childLoggerFactory: (parent: FastifyBaseLogger) => parent,
  };
}

export interface HttpObservabilityOptions {
  logger: Logger;
  metrics?: Metrics;
}

const QUIET_ROUTES = /^\/(health|metrics)(\/|$)/;

/**
 * Per request: the correlation id is put in the request headers (where the command context
 * reads it, so events carry the same id), echoed in the response, and held in an
 * AsyncLocalStorage for every log line written on the request's behalf; when the request
 * completes, its duration goes to `http_request_duration_seconds` and one access line is
 * logged (method, path without the query, route, status, duration; never headers or body).
 */
export function installHttpObservability(fastify: FastifyInstance, options: HttpObservabilityOptions): void {
  const { logger, metrics } = options;
  // The request's span (OpenTelemetry, a no-op unless tracing is on) is the active one while
  // the request is handled, so the command and the append nest under it.
  const spans = new WeakMap<object, Span>();
  const within = (request: object, run: () => void) => {
    const span = spans.get(request);
    return span ? context.with(trace.setSpan(context.active(), span), run) : run();
  };
  fastify.addHook('onRequest', (request, _reply, done) => {
    request.headers[CORRELATION_ID_HEADER] = request.id;
    // With the HTTP instrumentation on, its server span (which continued the caller's
    // traceparent) is active here, and this span, named by the route, is its child. Without
    // it (requests injected in tests), this span is the server span and continues the caller.
    const instrumented = trace.getSpan(context.active());
    const server = instrumented === undefined;
    // The instrumentation knows the method, not the route: name its span by Fastify's route.
    const route = request.routeOptions.url;
    if (instrumented && route && !request.is404) {
      instrumented.updateName(`${request.method} ${route}`);
      instrumented.setAttribute('http.route', route);
    }
    spans.set(
      request,
      tracer().startSpan(
        `${request.method} ${request.url.split('?')[0]}`,
        {
          kind: server ? SpanKind.SERVER : SpanKind.INTERNAL,
          attributes: { 'http.request.method': request.method, 'engine.correlation_id': request.id },
        },
        // A caller's W3C traceparent makes this request a part of its trace.
        server ? propagation.extract(context.active(), request.headers) : context.active(),
      ),
    );
    within(request, () => correlationStorage.run({ correlationId: request.id }, done));
  });
  // Body parsing runs on the socket's stream events, which may be outside the context opened
  // above: enter it again before validation, guards and the handler.
  fastify.addHook('preValidation', (request, _reply, done) => {
    within(request, () => correlationStorage.run({ correlationId: request.id }, done));
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader(CORRELATION_ID_HEADER)) void reply.header(CORRELATION_ID_HEADER, request.id);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    const statusCode = reply.statusCode;
    const durationMs = reply.elapsedTime;
    const span = spans.get(request);
    if (span) {
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': statusCode });
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    metrics?.observeHttp(request.method, route, statusCode, durationMs / 1000);
    const level = QUIET_ROUTES.test(route) ? 'debug' : 'info';
    if (logger.isLevelEnabled(level)) {
      const path = request.url.split('?')[0];
      logger[level](
        {
          correlationId: request.id,
          method: request.method,
          path,
          route,
          statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}

/** GET `path` answers the Prometheus text exposition of `metrics`, without authentication. */
export function registerMetricsRoute(fastify: FastifyInstance, metrics: Metrics, path = '/metrics'): void {
  fastify.get(path, async (_request, reply) => {
    void reply.header('content-type', metrics.contentType).header('cache-control', 'no-store');
    return metrics.render();
  });
}
