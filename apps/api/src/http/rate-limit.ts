import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { type AppConfig, errorResponse, type PinoLogger, type Principal } from '@engine/platform';
import type { BearerAuthenticator } from '../auth/bearer-authenticator';
import { bearerToken } from '../auth/bearer-authenticator';
import { SessionAuthenticator } from '../auth/session-authenticator';
import { HttpError } from './http-error';

/** Probes and metrics are polled by machines on a schedule; they are never limited. */
const UNLIMITED = /^\/(health|metrics)(\/|$)/;

/** `METHOD /pattern` of the route a request matched, as written in RATE_LIMIT_STRICT_ROUTES. */
export function routeKey(request: Pick<FastifyRequest, 'method' | 'routeOptions'>): string | undefined {
  const url = request.routeOptions?.url;
  return url === undefined ? undefined : `${request.method} ${url}`;
}

export interface RateLimitOptions {
  config: AppConfig;
  authenticator: BearerAuthenticator;
  /** Browser sessions (the `sid` cookie): counted per account too. */
  sessions?: SessionAuthenticator;
  logger: PinoLogger;
}

/**
 * Rate limits held in Redis, so they hold across api replicas: per caller (the token's `sub`
 * when the request carries a valid token, else the client IP) RATE_LIMIT_MAX requests per
 * RATE_LIMIT_WINDOW_MS; the routes in RATE_LIMIT_STRICT_ROUTES (the public objection form)
 * RATE_LIMIT_STRICT_MAX per RATE_LIMIT_STRICT_WINDOW_MS per client IP, whoever calls.
 * Over the limit: 429 RATE_LIMITED with Retry-After (seconds).
 *
 * Redis unreachable: requests are let through (fail open) and that is logged once per outage;
 * /health already reports Redis as degraded. A queue outage must not take the api down.
 */
export async function installRateLimit(fastify: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const { config, authenticator, sessions, logger } = options;
  if (!config.RATE_LIMIT_ENABLED) return;
  const strictRoutes = new Set(config.RATE_LIMIT_STRICT_ROUTES);
  const redis = new Redis(config.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
  });
  let reachable: boolean | undefined;
  redis.on('ready', () => {
    if (reachable === false)
      logger.info({ context: 'RateLimit' }, 'Redis is back: rate limits enforced again');
    reachable = true;
  });
  redis.on('error', (error: Error) => {
    if (reachable !== false) {
      logger.warn(
        { context: 'RateLimit', err: { message: error.message } },
        'Redis unreachable: rate limits are not enforced until it is back (failing open)',
      );
    }
    reachable = false;
  });
  fastify.addHook('onClose', async () => {
    redis.disconnect();
  });
  // Commands fail at once while disconnected (no offline queue, so no request ever waits on
  // Redis): give the connection a moment at boot, so limits hold from the first request.
  await new Promise<void>((resolve) => {
    const done = () => (clearTimeout(timer), redis.off('ready', done), resolve());
    const timer = setTimeout(done, 1000);
    redis.once('ready', done);
  });

  const strict = (request: FastifyRequest) => strictRoutes.has(routeKey(request) ?? '');
  await fastify.register(fastifyRateLimit, {
    global: true,
    hook: 'onRequest',
    redis,
    nameSpace: config.RATE_LIMIT_NAMESPACE,
    skipOnError: true,
    allowList: (request) => UNLIMITED.test(request.routeOptions?.url ?? ''),
    keyGenerator: async (request) => {
      if (strict(request)) return `strict:${routeKey(request)}:ip:${request.ip}`;
      if (bearerToken(request.headers) !== undefined) {
        try {
          const principal = await authenticator.authenticate(request);
          // Known from here on, so a 429 names its caller in the security log.
          (request as { principal?: Principal }).principal = principal;
          return `sub:${principal.sub}`;
        } catch {
          // A bad token is limited by address like anyone else; the guard answers it 401.
        }
      }
      if (sessions && SessionAuthenticator.sessionId(request) !== undefined) {
        const session = await sessions.session(request).catch(() => undefined);
        if (session) return `sub:${session.account.account_id}`;
      }
      return `ip:${request.ip}`;
    },
    max: (_request, key) =>
      key.startsWith('strict:') ? config.RATE_LIMIT_STRICT_MAX : config.RATE_LIMIT_MAX,
    timeWindow: (_request, key) =>
      key.startsWith('strict:') ? config.RATE_LIMIT_STRICT_WINDOW_MS : config.RATE_LIMIT_WINDOW_MS,
    errorResponseBuilder: (request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new HttpError(
        errorResponse(429, 'RATE_LIMITED', `too many requests; retry in ${seconds} s`),
        strict(request)
          ? `strict limit of ${context.max} per window exceeded`
          : `limit of ${context.max} per window exceeded`,
      );
    },
  });
}
