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
  installStrictLimit(fastify, config, redis, strict);
  await fastify.register(fastifyRateLimit, {
    global: true,
    hook: 'onRequest',
    redis,
    nameSpace: config.RATE_LIMIT_NAMESPACE,
    skipOnError: true,
    // Strict routes have their own budget (installStrictLimit), counted by outcome.
    allowList: (request) => UNLIMITED.test(request.routeOptions?.url ?? '') || strict(request),
    keyGenerator: async (request) => {
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
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new HttpError(
        errorResponse(429, 'RATE_LIMITED', `too many requests; retry in ${seconds} s`),
        `limit of ${context.max} per window exceeded`,
      );
    },
  });
}

/**
 * The strict routes (the public objection form): per client address, RATE_LIMIT_STRICT_MAX
 * *accepted* requests (2xx) per RATE_LIMIT_STRICT_WINDOW_MS, and separately
 * RATE_LIMIT_STRICT_REFUSED_MAX refused ones (4xx: a typo in an ID number), so mistakes do not
 * use up the budget of real objections, and a NAT's other users keep theirs for longer. The
 * counters are checked before the request and counted from its outcome; concurrent requests
 * may pass a limit by the few in flight.
 */
function installStrictLimit(
  fastify: FastifyInstance,
  config: AppConfig,
  redis: Redis,
  strict: (request: FastifyRequest) => boolean,
): void {
  const key = (request: FastifyRequest, outcome: 'accepted' | 'refused') =>
    `${config.RATE_LIMIT_NAMESPACE}strict:${outcome}:${routeKey(request)}:ip:${request.ip}`;
  const limits = { accepted: config.RATE_LIMIT_STRICT_MAX, refused: config.RATE_LIMIT_STRICT_REFUSED_MAX };
  fastify.addHook('onRequest', async (request, reply) => {
    if (!strict(request)) return;
    let counts: (string | null)[];
    try {
      counts = await redis.mget(key(request, 'accepted'), key(request, 'refused'));
    } catch {
      return; // fail open, as the general limit does
    }
    for (const [index, outcome] of (['accepted', 'refused'] as const).entries()) {
      if (Number(counts[index] ?? 0) < limits[outcome]) continue;
      const ttl = await redis.pttl(key(request, outcome)).catch(() => config.RATE_LIMIT_STRICT_WINDOW_MS);
      const seconds = Math.max(1, Math.ceil((ttl > 0 ? ttl : config.RATE_LIMIT_STRICT_WINDOW_MS) / 1000));
      void reply.header('retry-after', String(seconds));
      throw new HttpError(
        errorResponse(429, 'RATE_LIMITED', `too many requests; retry in ${seconds} s`),
        `strict limit of ${limits[outcome]} ${outcome} per window exceeded`,
      );
    }
  });
  fastify.addHook('onResponse', async (request, reply) => {
    if (!strict(request) || reply.statusCode === 429 || reply.statusCode >= 500) return;
    const outcome = reply.statusCode < 400 ? 'accepted' : 'refused';
    const counter = key(request, outcome);
    await redis
      .multi()
      .incr(counter)
      .pexpire(counter, config.RATE_LIMIT_STRICT_WINDOW_MS, 'NX')
      .exec()
      .catch(() => undefined);
  });
}
