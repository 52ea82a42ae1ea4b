import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './config';

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
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).NODE_ENV).toBe('production');
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
});
