import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  DEVELOPMENT_JWT_SECRET,
  DEVELOPMENT_PII_MASTER_KEY,
  knownSettings,
  loadConfig,
  SECRET_SETTINGS,
} from './config';

const OWN_PII_KEY = randomBytes(32).toString('base64');

describe('configuration, validated once at boot', () => {
  it('gives a fresh machine working defaults: port 3000, ./data, embedded SQLite, local Redis, system clock', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      EVENT_STORE: 'sqlite',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CLOCK: 'system',
      SQLITE_SYNCHRONOUS: 'FULL',
      MAX_EVENT_BYTES: 1024 * 1024,
    });
    expect(config.DATA_DIR).toMatch(/\/data$/);
  });

  it('reports every bad value at once, each naming its variable and what it got', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: '80a', EVENT_STORE: 'mysql', REDIS_URL: 'http://x', CLOCK: 'sundial' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    expect(text).toContain('PORT must be a whole number (got "80a")');
    expect(text).toMatch(/EVENT_STORE .*sqlite.*kurrentdb.*postgres.*\(got "mysql"\)/);
    expect(text).toContain('REDIS_URL must be a URL with scheme redis or rediss');
    expect(text).toMatch(/CLOCK .*\(got "sundial"\)/);
  });

  it('requires the URL of the store it is told to use', () => {
    expect(() => loadConfig({ EVENT_STORE: 'kurrentdb' })).toThrow(
      /KURRENTDB_URL is required when EVENT_STORE=kurrentdb/,
    );
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(
      /EVENT_STORE_URL is required when EVENT_STORE=postgres/,
    );
    expect(
      loadConfig({ EVENT_STORE: 'postgres', EVENT_STORE_URL: 'postgres://u@db:5432/engine' }).EVENT_STORE,
    ).toBe('postgres');
  });

  it('refuses development secrets, the manual clock and relaxed durability in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is the development secret/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), CLOCK: 'manual' })).toThrow(
      /CLOCK manual .* refused when NODE_ENV=production/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SQLITE_SYNCHRONOUS: 'NORMAL' }),
    ).toThrow(/SQLITE_SYNCHRONOUS must be FULL in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /PII_MASTER_KEY is the development key/,
    );
    expect(
      () =>
        loadConfig({
          NODE_ENV: 'production',
          JWT_SECRET: 'x'.repeat(40),
          JWT_SECRET_PREVIOUS: DEVELOPMENT_JWT_SECRET,
          PII_MASTER_KEY: OWN_PII_KEY,
        }),
      // The development secret may not come back in through the rotation grace either.
    ).toThrow(/JWT_SECRET_PREVIOUS is the development secret/);
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), PII_MASTER_KEY: OWN_PII_KEY })
        .NODE_ENV,
    ).toBe('production');
  });

  it('never echoes a secret back in an error', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short-but-secret' })).toThrow(ConfigError);
    try {
      loadConfig({ JWT_SECRET: 'short-but-secret' });
    } catch (error) {
      expect((error as Error).message).toContain('JWT_SECRET must be at least 32 characters');
      expect((error as Error).message).not.toContain('short-but-secret');
    }
    expect(DEVELOPMENT_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('has abuse-resistance defaults: timeouts, a rate limit, and a stricter one for the objection form and its evidence uploads', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      REQUEST_TIMEOUT_MS: 30_000,
      CONNECTION_TIMEOUT_MS: 60_000,
      RATE_LIMIT_ENABLED: true,
      RATE_LIMIT_MAX: 600,
      RATE_LIMIT_WINDOW_MS: 60_000,
      RATE_LIMIT_STRICT_MAX: 5,
      RATE_LIMIT_STRICT_ROUTES: [
        'POST /v1/applications/:id/objections',
        'POST /v1/applications/:id/objections/evidence',
      ],
      CORS_ORIGINS: [],
      PII_MASTER_KEY: DEVELOPMENT_PII_MASTER_KEY,
    });
    expect(
      loadConfig({ RATE_LIMIT_STRICT_ROUTES: 'POST /v1/applications/:id/objections, GET  /v1/programmes' })
        .RATE_LIMIT_STRICT_ROUTES,
    ).toEqual(['POST /v1/applications/:id/objections', 'GET /v1/programmes']);
    expect(() => loadConfig({ RATE_LIMIT_STRICT_ROUTES: '/v1/applications' })).toThrow(
      /RATE_LIMIT_STRICT_ROUTES must be a comma-separated list of routes/,
    );
    expect(() => loadConfig({ RATE_LIMIT_MAX: '0' })).toThrow(/RATE_LIMIT_MAX/);
  });

  it('takes a personal-data master key of exactly 32 bytes and never echoes it', () => {
    expect(loadConfig({ PII_MASTER_KEY: OWN_PII_KEY }).PII_MASTER_KEY).toBe(OWN_PII_KEY);
    const short = randomBytes(16).toString('base64');
    try {
      loadConfig({ PII_MASTER_KEY: short });
      throw new Error('accepted a 16-byte key');
    } catch (error) {
      expect((error as Error).message).toContain('PII_MASTER_KEY must be 32 random bytes in base64');
      expect((error as Error).message).not.toContain(short);
    }
  });

  describe('secrets from files and settings that do not exist', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'config-secrets-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads JWT_SECRET_FILE and PII_MASTER_KEY_FILE as compose secrets mount them (trailing newline dropped)', () => {
      const secret = randomBytes(32).toString('hex');
      writeFileSync(join(dir, 'jwt'), `${secret}\n`);
      writeFileSync(join(dir, 'pii'), `${OWN_PII_KEY}\n`);
      writeFileSync(join(dir, 'db'), 'postgres://engine:s3cret@db:5432/engine');
      const config = loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET_FILE: join(dir, 'jwt'),
        PII_MASTER_KEY_FILE: join(dir, 'pii'),
        READ_MODEL_URL_FILE: join(dir, 'db'),
      });
      expect(config.JWT_SECRET).toBe(secret);
      expect(config.PII_MASTER_KEY).toBe(OWN_PII_KEY);
      expect(config.READ_MODEL_URL).toBe('postgres://engine:s3cret@db:5432/engine');
    });

    it('offers a _FILE variant of every secret setting', () => {
      for (const setting of SECRET_SETTINGS.filter((s) => knownSettings().includes(s))) {
        writeFileSync(join(dir, setting), 'x');
        expect(() => loadConfig({ [`${setting}_FILE`]: join(dir, setting) })).not.toThrow(/is not a setting/);
      }
      expect(SECRET_SETTINGS).toEqual(
        expect.arrayContaining([
          'JWT_SECRET',
          'JWT_SECRET_PREVIOUS',
          'PII_MASTER_KEY',
          'READ_MODEL_URL',
          'SMTP_URL',
        ]),
      );
    });

    it('refuses a missing secret file, and a setting given both ways', () => {
      expect(() => loadConfig({ JWT_SECRET_FILE: join(dir, 'absent') })).toThrow(
        /JWT_SECRET_FILE cannot be read \(ENOENT\)/,
      );
      writeFileSync(join(dir, 'jwt'), 'y'.repeat(40));
      expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(40), JWT_SECRET_FILE: join(dir, 'jwt') })).toThrow(
        /JWT_SECRET_FILE and JWT_SECRET are both set/,
      );
    });

    it('stops on an unknown setting that looks like ours, naming it, and ignores the rest of the environment', () => {
      expect(() => loadConfig({ JWT_SECRT: 'x'.repeat(40) })).toThrow(
        /JWT_SECRT is not a setting of the engine/,
      );
      expect(() => loadConfig({ MAIL_FROM_FILE: '/run/secrets/x' })).toThrow(
        /MAIL_FROM_FILE is not a setting of the engine; only secrets can be read from files/,
      );
      expect(() => loadConfig({ RATE_LIMIT_MAXIMUM: '5' })).toThrow(ConfigError);
      // Not ours: the shell's, and the service links Kubernetes injects for a service named kurrentdb.
      expect(() =>
        loadConfig({
          HOME: '/home/x',
          npm_config_cache: '/tmp',
          KURRENTDB_PORT: 'tcp://10.0.0.5:2113',
          KURRENTDB_SERVICE_HOST: '10.0.0.5',
          KURRENTDB_PORT_2113_TCP_ADDR: '10.0.0.5',
        }),
      ).not.toThrow();
    });
  });
});
