import { loadConfig } from './config';

const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-of-at-least-32-characters!',
  PII_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('sign-in settings', () => {
  it('makes admins and officers use a second factor in production by default, nobody in development', () => {
    expect(loadConfig(production).AUTH_TOTP_REQUIRED_ROLES).toEqual(['admin', 'officer']);
    expect(loadConfig({}).AUTH_TOTP_REQUIRED_ROLES).toEqual([]);
    expect(loadConfig({ ...production, AUTH_TOTP_REQUIRED_ROLES: 'admin' }).AUTH_TOTP_REQUIRED_ROLES).toEqual(
      ['admin'],
    );
    expect(() => loadConfig({ AUTH_TOTP_REQUIRED_ROLES: 'admin,root' })).toThrow(
      /AUTH_TOTP_REQUIRED_ROLES must be/,
    );
  });

  it('has sessions of 30 minutes idle and 12 hours at most, and a public address from the port', () => {
    const config = loadConfig({ PORT: '8080' });
    expect([config.SESSION_IDLE_MINUTES, config.SESSION_ABSOLUTE_HOURS]).toEqual([30, 12]);
    expect(config.PUBLIC_URL).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://kjj.example.gov.cn/' }).PUBLIC_URL).toBe(
      'https://kjj.example.gov.cn',
    );
  });

  it('wants a client id and a claims mapping with an OIDC issuer', () => {
    expect(() => loadConfig({ OIDC_ISSUER: 'https://idp.example.gov.cn' })).toThrow(
      /OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLAIMS_MAPPING_FILE/,
    );
  });
});
