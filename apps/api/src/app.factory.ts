import fastifyMultipart from '@fastify/multipart';
import { HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { DestinationStream } from 'pino';
import { EventStore, InvalidEventError } from '@engine/event-store';
import { DomainError, IdempotencyKeyReusedError, PreconditionFailedError } from '@engine/incubation';
import {
  type AppConfig,
  type Clock,
  type CommandOutcome,
  createLogger,
  fastifyLoggingOptions,
  installHttpObservability,
  Metrics,
  PinoNestLogger,
  type PinoLogger,
  RedisProbe,
  traceCommands,
  registerMetricsRoute,
} from '@engine/platform';
import { ProjectionLagProbe } from '@engine/read-models';
import { WorkflowProbe } from '@engine/workflow';
import { ApiModule } from './api.module';
import { installJsonBodyParser } from './http/json-body-parser';
import { installSecurityHeaders } from './http/security-headers';
import { createValidationPipe } from './http/validation';
import { TextSafetyPipe } from './http/text';
import { completeOpenApi } from './http/openapi';
import { installRateLimit } from './http/rate-limit';
import { BearerAuthenticator } from './auth/bearer-authenticator';
import { SessionAuthenticator } from './auth/session-authenticator';
import { NotificationQueues } from '@engine/notifications';
import { installQueueDashboard } from './notifications/queue-dashboard';
import { installConsole } from './http/console';

/** Every METHOD and URL pattern the Fastify instance of an app serves (HEAD included). */
const servedRoutesOf = new WeakMap<object, { method: string; url: string }[]>();

/** The routes an api app serves, as Fastify registered them (for the permission matrix test). */
export function servedRoutes(app: NestFastifyApplication): { method: string; url: string }[] {
  return [...(servedRoutesOf.get(app) ?? [])];
}

export interface CreateApiOptions {
  clock?: Clock;
  withWorker?: boolean;
  /** `false` writes no log line at all, whatever LOG_LEVEL says (tests). */
  logger?: false;
  /** Where the JSON log lines go; standard output unless given (tests read them from a stream). */
  logDestination?: DestinationStream;
  /** The process's logger when main.ts already made one (boot messages and errors share it). */
  pino?: PinoLogger;
}

/**
 * Security headers for every response. The policy is strict for the JSON API and still lets
 * the Swagger UI at /docs run: its scripts and stylesheet are served from /docs itself, it
 * needs inline styles and data: images. No upgrade-insecure-requests, so /docs also works on
 * plain http (a TLS-terminating proxy in front is expected in production).
 */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
};

/** CORS for the origins in CORS_ORIGINS only; without any, no cross-origin access at all. */
export function corsOptions(origins: readonly string[]) {
  return {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-correlation-id'],
    exposedHeaders: ['etag', 'location', 'x-correlation-id', 'content-disposition'],
    credentials: false,
    maxAge: 600,
  };
}

/** A refused command (a rule, a precondition, bad input) is not a failure of the engine. */
function commandOutcome(error: unknown): CommandOutcome {
  return error instanceof DomainError ||
    error instanceof PreconditionFailedError ||
    error instanceof IdempotencyKeyReusedError ||
    error instanceof InvalidEventError ||
    (error instanceof HttpException && error.getStatus() < 500)
    ? 'rejected'
    : 'error';
}

/** Builds the HTTP application (used by main.ts and by the end-to-end tests). */
export async function createApiApp(
  config: AppConfig,
  options: CreateApiOptions = {},
): Promise<NestFastifyApplication> {
  const withWorker = options.withWorker ?? config.EMBEDDED_WORKER ?? config.EVENT_STORE === 'sqlite';
  const silent = options.logger === false || config.LOG_LEVEL === 'silent';
  const logger =
    options.pino ??
    createLogger({
      service: 'api',
      level: silent ? 'silent' : config.LOG_LEVEL,
      destination: options.logDestination,
    });
  const metrics = config.METRICS_ENABLED ? new Metrics() : undefined;
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // Keys that would let a body reach Object.prototype are refused while parsing.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A request not answered in time is closed (408); so is a socket that idles or trickles.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    // Fastify accepts a hop count too, though its types do not say so.
    trustProxy: config.TRUST_PROXY as boolean | string,
    ...fastifyLoggingOptions(logger),
  });
  const fastify = adapter.getInstance();
  const routes: { method: string; url: string }[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  installJsonBodyParser(fastify);
  installHttpObservability(fastify, { logger, metrics });
  installSecurityHeaders(fastify, HELMET_OPTIONS);
  // Material uploads (docs/materials.md): one streamed file per request, a few small fields.
  // The file's own limits (size, type) are checked while it streams, in the use case.
  await fastify.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: {
      files: 1,
      fields: 4,
      fieldSize: 1024,
      parts: 5,
      fileSize: config.MATERIAL_MAX_FILE_BYTES + 1,
      headerPairs: 50,
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, { withWorker, clock: options.clock }),
    adapter,
    {
      logger: silent ? false : new PinoNestLogger(logger),
      bufferLogs: false,
      // Boot errors (bad policy files, an unreachable store) reach main(), which reports them once.
      abortOnError: false,
      // JSON bodies are parsed by installJsonBodyParser (secure parse plus a nesting limit).
      bodyParser: false,
      // From the shutdown signal on, new requests are answered 503 (Connection: close) while the
      // ones in flight finish; then the server closes (libs/platform/src/nest/graceful-shutdown.ts).
      return503OnClosing: true,
    },
  );
  servedRoutesOf.set(app, routes);
  // Registered before Nest adds its routes (at init), so every route gets the limit.
  await installRateLimit(fastify, {
    config,
    authenticator: app.get(BearerAuthenticator),
    sessions: app.get(SessionAuthenticator),
    logger,
  });
  const queues = app.get(NotificationQueues);
  await installQueueDashboard(fastify, {
    queues: queues.list(),
    authenticator: app.get(BearerAuthenticator),
    sessions: app.get(SessionAuthenticator),
    config,
  });
  await installConsole(fastify, config.CONSOLE_DIR, (message) => logger.warn(message));
  if (config.CORS_ORIGINS.length > 0) app.enableCors(corsOptions(config.CORS_ORIGINS));
  if (metrics) {
    const redis = new RedisProbe(config.REDIS_URL);
    metrics.watchEventStore(app.get(EventStore));
    metrics.watchRedis(redis);
    metrics.watchCalendar();
    metrics.watchProjections(app.get(ProjectionLagProbe));
    metrics.watchWorkflow(app.get(WorkflowProbe));
    metrics.watchQueues(queues);
    metrics.timeCommands(app.get(CommandBus), commandOutcome);
    registerMetricsRoute(fastify, metrics);
    fastify.addHook('onClose', async () => {
      metrics.close();
      await redis.close();
    });
  }
  // A span per command, under the request's (no-ops while tracing is off).
  traceCommands(app.get(CommandBus));
  const document = completeOpenApi(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('企业培育库 workflow engine')
        .setDescription(
          'Enterprise cultivation lists: eaglet, gazelle, quasi-unicorn, little giant, tech-retrofit whitelist',
        )
        .setVersion('1')
        .addBearerAuth()
        .addCookieAuth('sid')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // Text first: a control character anywhere is refused before validation walks the body.
  app.useGlobalPipes(new TextSafetyPipe(), createValidationPipe());
  return app;
}
