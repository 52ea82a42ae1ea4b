import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locale } from '../labels/labels';
import { z } from 'zod';
import { parseAllowedNetworks } from '../net/egress';

/** The development secret `npm start` uses out of the box. Production refuses it. */
export const DEVELOPMENT_JWT_SECRET = 'development-secret-change-me-0123456789abcdef';

/**
 * The development master key of the personal-data vault (32 bytes, base64) that `npm start`
 * uses out of the box. Production refuses it: whoever knows it can open every sealed record.
 */
export const DEVELOPMENT_PII_MASTER_KEY = Buffer.from('development-pii-master-key-32by!').toString('base64');

/** The route the public objection form posts to: anonymous, so it has a stricter limit. */
export const OBJECTION_ROUTE = 'POST /v1/applications/:id/objections';
/** The public upload of an objection's evidence files: as strictly limited as the form. */
export const OBJECTION_EVIDENCE_ROUTE = 'POST /v1/applications/:id/objections/evidence';

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(':', ''));
        } catch {
          return false;
        }
      },
      `must be a URL with scheme ${protocols.join(' or ')}`,
    );

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

/** Comma-separated browser origins (scheme://host[:port]); empty: no cross-origin access. */
const origins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .refine(
    (list) => list.every(isOrigin),
    'must be a comma-separated list of origins such as https://portal.example.gov.cn (scheme, host, optional port; no path)',
  );

/** `METHOD /path/:param` route patterns, comma-separated, as Fastify registers them. */
const routePatterns = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((route) => route.trim().replace(/\s+/g, ' '))
      .filter(Boolean),
  )
  .refine(
    (list) => list.every((route) => /^(GET|POST|PUT|PATCH|DELETE) \/[\w/:.-]*$/.test(route)),
    'must be a comma-separated list of routes such as "POST /v1/applications/:id/objections"',
  );

/** 32 bytes, base64. */
const key32 = z
  .string()
  .trim()
  .refine((value) => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
    return Buffer.from(value, 'base64').length === 32;
  }, 'must be 32 random bytes in base64 (openssl rand -base64 32)');

function isOrigin(origin: string): boolean {
  try {
    const parsed = new URL(origin);
    return /^https?:$/.test(parsed.protocol) && parsed.origin === origin;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: integer(1, 65535).default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    POLICIES_DIR: z.string().trim().min(1).default('./policies'),
    /** The State Council's yearly holiday arrangements, one file per year (docs/policies.md). */
    CALENDAR_DIR: z.string().trim().min(1).default('./calendar'),
    // The built web console (apps/web, `npm run build`), served at `/`; absent: no console.
    CONSOLE_DIR: z.string().trim().min(1).default('./apps/web/dist'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_JWT_SECRET),
    /** Also accepted while clients move to JWT_SECRET (rotation grace, docs/operations.md). */
    JWT_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_JWKS_URL: url(['https', 'http']).optional(),
    JWT_ISSUER: z.string().trim().min(1).optional(),
    JWT_AUDIENCE: z.string().trim().min(1).optional(),
    CLOCK: z.enum(['system', 'manual']).default('system'),
    EVENT_STORE: z.enum(['sqlite', 'kurrentdb', 'postgres']).default('sqlite'),
    // Not a WHATWG URL: a cluster lists several host:port pairs (kurrentdb://a:2113,b:2113,c:2113?tls=true).
    KURRENTDB_URL: z
      .string()
      .trim()
      .regex(
        /^(kurrentdb|esdb)(\+discover)?:\/\/([^\s/?#@]+@)?[A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*\/?(\?\S*)?$/,
        'must be a KurrentDB connection string such as kurrentdb://host:2113 or kurrentdb://a:2113,b:2113,c:2113?tls=true',
      )
      .optional(),
    EVENT_STORE_URL: url(['postgres', 'postgresql']).optional(),
    READ_MODEL_URL: url(['postgres', 'postgresql']).optional(),
    REDIS_URL: url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
    // BullMQ key prefix. The braces are a Redis Cluster hash tag: every key of a queue lands on
    // one slot, which BullMQ's multi-key scripts need.
    QUEUE_PREFIX: z
      .string()
      .trim()
      .regex(/^\{[A-Za-z0-9:_-]{1,64}\}$/, 'must be a Redis Cluster hash tag such as {cultivation}')
      .default('{cultivation}'),
    // The api hosts the worker (sagas, timers, projections) in the same process. Default: yes
    // on the embedded SQLite profile, no otherwise (run apps/worker beside the api).
    EMBEDDED_WORKER: flag.optional(),
    // How often the worker looks for due timers whose queue job was lost (seconds).
    TIMER_SWEEP_SECONDS: integer(1, 3600).default(30),
    SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
    MAX_EVENT_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    METRICS_ENABLED: flag.default(true),
    CORS_ORIGINS: origins.default([]),
    /** Fastify requestTimeout: a request not answered within this is closed with 408. 0: none. */
    REQUEST_TIMEOUT_MS: integer(0, 600_000).default(30_000),
    /** Fastify connectionTimeout: an idle or slow socket is closed after this (slowloris). 0: none. */
    CONNECTION_TIMEOUT_MS: integer(0, 600_000).default(60_000),
    /**
     * Whom to believe about the client's address (X-Forwarded-For): `false` (the socket's
     * peer), `true` (any proxy), a number of proxy hops, or comma-separated proxy IPs/CIDRs.
     * Rate limits of anonymous callers are per client address, so set it behind a proxy.
     */
    TRUST_PROXY: z
      .string()
      .trim()
      .refine(
        (value) => /^(true|false|\d{1,2}|[\d.:a-fA-F/]+(\s*,\s*[\d.:a-fA-F/]+)*)$/.test(value),
        'must be true, false, a number of hops, or comma-separated proxy addresses',
      )
      .transform((value): boolean | number | string =>
        value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value,
      )
      .default(false),
    RATE_LIMIT_ENABLED: flag.default(true),
    /** Requests per window per caller (principal sub when authenticated, else client IP). */
    RATE_LIMIT_MAX: integer(1, 1_000_000).default(600),
    RATE_LIMIT_WINDOW_MS: integer(1000, 86_400_000).default(60_000),
    /** Accepted (2xx) requests to the public routes in RATE_LIMIT_STRICT_ROUTES, per client IP. */
    RATE_LIMIT_STRICT_MAX: integer(1, 1_000_000).default(5),
    /** Refused (4xx) requests to the strict routes per window per client IP: looser, counted apart. */
    RATE_LIMIT_STRICT_REFUSED_MAX: integer(1, 1_000_000).default(50),
    RATE_LIMIT_STRICT_WINDOW_MS: integer(1000, 86_400_000).default(3_600_000),
    RATE_LIMIT_STRICT_ROUTES: routePatterns.default([OBJECTION_ROUTE, OBJECTION_EVIDENCE_ROUTE]),
    /** Prefix of the counters in Redis (several environments may share one Redis). */
    RATE_LIMIT_NAMESPACE: z
      .string()
      .trim()
      .regex(/^[\w:.-]{1,64}$/, 'must be 1 to 64 letters, digits, _ : . or -')
      .default('rate-limit:'),
    PII_MASTER_KEY: key32.default(DEVELOPMENT_PII_MASTER_KEY),
    /**
     * Master keys that still open personal-data keys but no longer wrap new ones, comma-separated:
     * during a rotation (`npm run cli -- rotate-master-key`, docs/privacy.md).
     */
    PII_MASTER_KEY_PREVIOUS: z
      .string()
      .trim()
      .transform((value) =>
        value
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
      .pipe(z.array(key32))
      .default([]),
    /** Notifications (docs/notifications.md): the outbox and channel processors run in the worker. */
    NOTIFICATIONS_ENABLED: flag.default(true),
    /** Which event reaches whom on which channel with which template; validated at boot. */
    NOTIFICATION_RULES_FILE: z.string().trim().min(1).default('./notifications/rules.yaml'),
    /** smtp:// or smtps:// (user:password@host:port); unset: the email channel is off. */
    SMTP_URL: url(['smtp', 'smtps']).optional(),
    MAIL_FROM: z.string().trim().min(3).default('企业培育库 <noreply@cultivation.localhost>'),
    /** Milliseconds a webhook receiver has to answer before the delivery counts as failed. */
    WEBHOOK_TIMEOUT_MS: integer(100, 60_000).default(5000),
    /** Where application materials are kept (docs/materials.md): `disk` under DATA_DIR/blobs, or PostgreSQL. */
    BLOB_STORE: z.enum(['disk', 'postgres']).default('disk'),
    BLOB_STORE_URL: url(['postgres', 'postgresql']).optional(),
    /** Largest file an application may attach, bytes (default 20 MiB). Larger: 413. */
    MATERIAL_MAX_FILE_BYTES: integer(1024, 1024 * 1024 * 1024).default(20 * 1024 * 1024),
    /** Largest total of the files attached to one application, bytes (default 200 MiB). */
    MATERIAL_MAX_APPLICATION_BYTES: integer(1024, 16 * 1024 * 1024 * 1024).default(200 * 1024 * 1024),
    /** Sign-in (docs/security.md): browser sessions end after this long idle / after sign-in. */
    SESSION_IDLE_MINUTES: integer(1, 24 * 60).default(30),
    SESSION_ABSOLUTE_HOURS: integer(1, 24 * 30).default(12),
    /** Roles that must use a second factor (TOTP); default admin,officer in production, none otherwise. */
    AUTH_TOTP_REQUIRED_ROLES: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((role) => role.trim())
          .filter(Boolean),
      )
      .refine(
        (list) =>
          list.every((role) => ['enterprise', 'officer', 'expert', 'auditor', 'admin'].includes(role)),
        'must be a comma-separated list of roles (enterprise, officer, expert, auditor, admin)',
      )
      .optional(),
    /** Failed sign-ins allowed per login, and per client address, before sign-in is locked for a while. */
    AUTH_MAX_FAILURES: integer(1, 1000).default(5),
    AUTH_MAX_FAILURES_PER_ADDRESS: integer(1, 100_000).default(50),
    AUTH_LOCKOUT_MINUTES: integer(1, 24 * 60).default(15),
    /** How long a password-reset link works (single use). */
    PASSWORD_RESET_MINUTES: integer(5, 24 * 60).default(30),
    /** The address people reach the engine at (links in emails, the OIDC redirect). Default http://localhost:PORT. */
    PUBLIC_URL: url(['https', 'http']).optional(),
    /** OpenID Connect single sign-on (docs/deploy.md): the provider's issuer URL, this client's id and secret. */
    OIDC_ISSUER: url(['https', 'http']).optional(),
    OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_SCOPES: z.string().trim().min(1).default('openid profile email'),
    /** YAML or JSON file mapping the provider's claims to role, jurisdiction and org. */
    OIDC_CLAIMS_MAPPING_FILE: z.string().trim().min(1).optional(),
    /** SMS gateway: `log` (development: logs, sends nothing) or `aliyun` (短信服务 SendSms). */
    SMS_PROVIDER: z.enum(['log', 'aliyun']).default('log'),
    SMS_ENDPOINT: url(['https', 'http']).optional(),
    SMS_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
    SMS_ACCESS_KEY_SECRET: z.string().trim().min(1).optional(),
    /** The registered signature (签名) the gateway puts in front of every message. */
    SMS_SIGN_NAME: z.string().trim().min(2).max(12).optional(),
    /**
     * Networks webhooks may reach although private or loopback (comma-separated IPs or CIDRs,
     * e.g. "10.20.0.0/16"). Empty: public addresses only (docs/security.md, Webhooks and SSRF).
     */
    WEBHOOK_ALLOWED_NETWORKS: z
      .string()
      .trim()
      .refine((value) => {
        try {
          parseAllowedNetworks(value);
          return true;
        } catch {
          return false;
        }
      }, 'must be comma-separated IP addresses or CIDR networks, e.g. 10.20.0.0/16,127.0.0.1')
      .default(''),
    OPS_PORT: integer(1, 65535).optional(),
    /** Live status streams (SSE) one caller (token `sub`) may hold open at once, per api replica. */
    SSE_MAX_STREAMS_PER_CALLER: integer(1, 1000).default(5),
    /**
     * Longest lifetime (exp minus iat, seconds) of a bearer token the api accepts; a token
     * without iat or living longer is refused. Default 12 hours.
     */
    JWT_MAX_LIFETIME_SECONDS: integer(60, 10 * 366 * 86_400).default(12 * 3600),
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http', 'https']).optional(),
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.EVENT_STORE === 'kurrentdb' && !env.KURRENTDB_URL)
      issue('KURRENTDB_URL', 'is required when EVENT_STORE=kurrentdb');
    if (env.SMS_PROVIDER === 'aliyun') {
      for (const key of ['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME'] as const)
        if (!env[key]) issue(key, 'is required when SMS_PROVIDER=aliyun');
    }
    if (env.EVENT_STORE === 'postgres' && !env.EVENT_STORE_URL)
      issue('EVENT_STORE_URL', 'is required when EVENT_STORE=postgres');
    if (env.BLOB_STORE === 'postgres' && !env.BLOB_STORE_URL)
      issue('BLOB_STORE_URL', 'is required when BLOB_STORE=postgres');
    if (env.MATERIAL_MAX_APPLICATION_BYTES < env.MATERIAL_MAX_FILE_BYTES)
      issue('MATERIAL_MAX_APPLICATION_BYTES', 'must be at least MATERIAL_MAX_FILE_BYTES');
    if (env.OIDC_ISSUER && (!env.OIDC_CLIENT_ID || !env.OIDC_CLAIMS_MAPPING_FILE))
      issue('OIDC_ISSUER', 'needs OIDC_CLIENT_ID and OIDC_CLAIMS_MAPPING_FILE as well');
    if (env.NODE_ENV === 'production') {
      if (env.JWT_SECRET === DEVELOPMENT_JWT_SECRET && !env.JWT_JWKS_URL) {
        issue(
          'JWT_SECRET',
          'is the development secret; set a secret of your own (or JWT_JWKS_URL) in production',
        );
      }
      if (env.JWT_SECRET_PREVIOUS === DEVELOPMENT_JWT_SECRET)
        issue('JWT_SECRET_PREVIOUS', 'is the development secret; it is refused in production');
      if (env.PII_MASTER_KEY === DEVELOPMENT_PII_MASTER_KEY) {
        issue(
          'PII_MASTER_KEY',
          'is the development key; set 32 random bytes of your own (openssl rand -base64 32) in production',
        );
      }
      if (env.CLOCK === 'manual')
        issue('CLOCK', 'manual is for tests and demos and is refused when NODE_ENV=production');
      if (env.SQLITE_SYNCHRONOUS !== 'FULL')
        issue(
          'SQLITE_SYNCHRONOUS',
          'must be FULL in production (acknowledged events must survive power loss)',
        );
    }
  });

export type AppConfig = Readonly<
  Omit<z.output<typeof schema>, 'AUTH_TOTP_REQUIRED_ROLES' | 'PUBLIC_URL'> & {
    /** Resolved at load: the default depends on NODE_ENV. */
    AUTH_TOTP_REQUIRED_ROLES: string[];
    PUBLIC_URL: string;
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Settings that carry a secret (a key, or a URL with a password in it). Each may instead be
 * given as `<NAME>_FILE`, the path of a file holding the value (compose and Kubernetes
 * secrets mount them under /run/secrets); a trailing newline is dropped.
 */
export const SECRET_SETTINGS = [
  'JWT_SECRET',
  'JWT_SECRET_PREVIOUS',
  'PII_MASTER_KEY',
  'PII_MASTER_KEY_PREVIOUS',
  'KURRENTDB_URL',
  'EVENT_STORE_URL',
  'READ_MODEL_URL',
  'REDIS_URL',
  'SMTP_URL',
  'OIDC_CLIENT_SECRET',
  'SMS_ACCESS_KEY_ID',
  'SMS_ACCESS_KEY_SECRET',
] as const;

/**
 * Beginnings of the engine's own settings. A variable that starts like one of them but is not
 * a setting is almost always a typo or a setting that does not exist (`JWT_SECRET_FILE` before
 * it did); it stops the boot instead of being silently ignored.
 */
const OUR_PREFIXES = [
  'JWT_',
  'PII_',
  'EVENT_STORE',
  'KURRENTDB_',
  'READ_MODEL',
  'REDIS_URL',
  'QUEUE_',
  'EMBEDDED_',
  'TIMER_',
  'SQLITE_',
  'MAX_EVENT',
  'METRICS_',
  'CORS_',
  'REQUEST_TIMEOUT',
  'CONNECTION_TIMEOUT',
  'TRUST_PROXY',
  'RATE_LIMIT',
  'NOTIFICATION',
  'SMTP_',
  'MAIL_',
  'WEBHOOK_',
  'SMS_',
  'OPS_',
  'POLICIES_',
  'SESSION_',
  'AUTH_',
  'PASSWORD_',
  'OIDC_',
];

/**
 * Variables Kubernetes (and docker links) inject for every service: a service named `kurrentdb`
 * gives KURRENTDB_PORT, KURRENTDB_SERVICE_HOST, KURRENTDB_PORT_2113_TCP… They are not settings.
 */
const SERVICE_LINK = /_(SERVICE_HOST|SERVICE_PORT(_\w+)?|PORT(_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)$/;

/** The names `loadConfig` accepts, for tests and documentation. */
export function knownSettings(): string[] {
  return Object.keys(schema.shape ?? {});
}

/**
 * Validates the environment once, at boot. Nothing else in the engine reads process.env.
 * Every problem is reported at once, each naming its variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  readSecretFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): AppConfig {
  const known = knownSettings();
  const problems: string[] = [];
  const given = Object.entries(env).filter(([, value]) => value !== undefined && value !== '') as [
    string,
    string,
  ][];
  const input: Record<string, string> = {};
  for (const [key, value] of given) {
    if (known.includes(key)) {
      input[key] = value;
    } else if (key.endsWith('_FILE') && (SECRET_SETTINGS as readonly string[]).includes(key.slice(0, -5))) {
      const setting = key.slice(0, -5);
      if (env[setting] !== undefined && env[setting] !== '') {
        problems.push(`${key} and ${setting} are both set; set one of them`);
        continue;
      }
      try {
        input[setting] = readSecretFile(value).replace(/\r?\n$/, '');
      } catch (error) {
        problems.push(
          `${key} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): ${value}`,
        );
      }
    } else if (OUR_PREFIXES.some((prefix) => key.startsWith(prefix)) && !SERVICE_LINK.test(key)) {
      const hint = key.endsWith('_FILE')
        ? `; only secrets can be read from files (${SECRET_SETTINGS.map((s) => `${s}_FILE`).join(', ')})`
        : '; see the configuration table in README.md';
      problems.push(`${key} is not a setting of the engine${hint}`);
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    problems.push(
      ...parsed.error.issues.map((issue) => {
        const key = issue.path.join('.') || '(environment)';
        const shown =
          key in input && !/SECRET|PASSWORD|_KEY$|_URL$/.test(key)
            ? ` (got ${JSON.stringify(input[key])})`
            : '';
        return `${key} ${issue.message}${shown}`;
      }),
    );
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return Object.freeze({
    ...parsed.data,
    AUTH_TOTP_REQUIRED_ROLES:
      parsed.data.AUTH_TOTP_REQUIRED_ROLES ??
      (parsed.data.NODE_ENV === 'production' ? ['admin', 'officer'] : []),
    PUBLIC_URL: (parsed.data.PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, ''),
    DATA_DIR: resolve(parsed.data.DATA_DIR),
    POLICIES_DIR: resolve(parsed.data.POLICIES_DIR),
    CALENDAR_DIR: resolve(parsed.data.CALENDAR_DIR),
    CONSOLE_DIR: resolve(parsed.data.CONSOLE_DIR),
  });
}

/**
 * The operator's language for the command line, from the POSIX locale variables (LC_ALL, then
 * LC_MESSAGES, then LANG): English for a non-Chinese locale such as en_US.UTF-8, Chinese for a
 * Chinese one and when no language is named (unset, C, POSIX).
 */
export function localeFromEnvironment(env: Record<string, string | undefined> = process.env): Locale {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (value === '' || /^(C|POSIX)([.@]|$)/i.test(value)) return 'zh-CN';
  return /^zh/i.test(value) ? 'zh-CN' : 'en';
}
