import { eagletData } from '@engine/incubation/testing/sample-applications';
import { loadConfig, PersonalDataVault, type Principal } from '@engine/platform';
import { KeyTableVault, ReadModelDatabase, readModelOptionsFromConfig } from '@engine/read-models';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

/**
 * Abuse resistance and security events: rate limits held in Redis (per caller, stricter per
 * address on the public objection route), failing open when Redis is gone; request timeouts;
 * and one structured `access-refused` line per refused request, without the token.
 */
const officerA: Principal = { sub: 'officer-rl-a', role: 'officer', jurisdiction: 'js.wuxi' };
const officerB: Principal = { sub: 'officer-rl-b', role: 'officer', jurisdiction: 'js.wuxi' };

const events = (h: Harness) =>
  h.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((log) => log.event === 'access-refused');

describe('rate limits (Redis)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({
      captureLogs: true,
      env: {
        RATE_LIMIT_MAX: '3',
        RATE_LIMIT_STRICT_MAX: '2',
        RATE_LIMIT_STRICT_REFUSED_MAX: '4',
        // The objection route is not served on this branch yet: a public-facing stand-in.
        RATE_LIMIT_STRICT_ROUTES: 'GET /v1/worklist',
      },
    });
  });
  afterAll(() => h.close());

  it('answers 429 RATE_LIMITED with Retry-After once a caller used up the window, per caller', async () => {
    for (let i = 0; i < 3; i++)
      expect((await h.request('GET', '/v1/programmes', { as: officerA })).status).toBe(200);
    const limited = await h.request('GET', '/v1/programmes', { as: officerA });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      // Chinese unless the caller prefers English (Accept-Language).
      message: expect.stringMatching(/请在 \d+ 秒后重试/),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Keyed by the token's subject, not the address: another officer on the same address goes on.
    expect((await h.request('GET', '/v1/programmes', { as: officerB })).status).toBe(200);
    // Probes are never limited.
    expect((await h.request('GET', '/health/live', { as: officerA })).status).toBe(200);

    const token = await h.token(officerA);
    expect(events(h)).toContainEqual(
      expect.objectContaining({
        context: 'Security',
        event: 'access-refused',
        status: 429,
        caller: { sub: 'officer-rl-a', role: 'officer' },
        method: 'GET',
        route: '/v1/programmes',
      }),
    );
    expect(h.logLines.join('')).not.toContain(token);
  });

  it('limits anonymous callers by address', async () => {
    const from = { remoteAddress: '203.0.113.7' };
    for (let i = 0; i < 3; i++) expect((await h.request('GET', '/v1/programmes', from)).status).toBe(401);
    expect((await h.request('GET', '/v1/programmes', from)).status).toBe(429);
    expect((await h.request('GET', '/v1/programmes', { remoteAddress: '203.0.113.8' })).status).toBe(401);
  });

  it('holds the strict routes to their own limit per address, counting only accepted requests against it', async () => {
    const from = { remoteAddress: '198.51.100.20' };
    const officerC: Principal = { sub: 'officer-rl-c', role: 'officer', jurisdiction: 'js.wuxi' };
    // Refused requests (401 here; a mistyped ID number on the objection form) do not spend the
    // budget of accepted ones (2): they have their own, looser one (4).
    for (let i = 0; i < 3; i++) expect((await h.request('GET', '/v1/worklist', from)).status).toBe(401);
    expect((await h.request('GET', '/v1/worklist', { ...from, as: officerC })).status).toBe(200);
    expect((await h.request('GET', '/v1/worklist', { ...from, as: officerB })).status).toBe(200);
    // A third accepted call from the address is over the strict limit, even with a fresh caller's token.
    const third = await h.request('GET', '/v1/worklist', { ...from, as: officerA });
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('RATE_LIMITED');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(events(h)).toContainEqual(
      expect.objectContaining({
        status: 429,
        route: '/v1/worklist',
        reason: expect.stringContaining('strict'),
      }),
    );
    // The general limit of other routes is not spent by the strict one.
    expect((await h.request('GET', '/v1/programmes', { ...from, as: officerC })).status).toBe(200);

    // Another address: refused requests have a limit of their own (4), apart from accepted ones.
    const other = { remoteAddress: '198.51.100.21' };
    for (let i = 0; i < 4; i++) expect((await h.request('GET', '/v1/worklist', other)).status).toBe(401);
    expect((await h.request('GET', '/v1/worklist', other)).status).toBe(429);
  });
});

describe('rate limits without Redis', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({ captureLogs: true, env: { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_MAX: '1' } });
  });
  afterAll(() => h.close());

  it('lets requests through (fail open) and says so in the log', async () => {
    for (let i = 0; i < 5; i++)
      expect((await h.request('GET', '/v1/programmes', { as: officerA })).status).toBe(200);
    expect(h.logLines.join('\n')).toContain('rate limits are not enforced until it is back (failing open)');
  });
});

describe('request timeouts', () => {
  it('configures Fastify from REQUEST_TIMEOUT_MS and CONNECTION_TIMEOUT_MS', async () => {
    const h = await startApi({ env: { REQUEST_TIMEOUT_MS: '12000', CONNECTION_TIMEOUT_MS: '34000' } });
    try {
      const { initialConfig } = h.app.getHttpAdapter().getInstance();
      expect(initialConfig).toMatchObject({ requestTimeout: 12000, connectionTimeout: 34000 });
    } finally {
      await h.close();
    }
  });
});

describe('security events', () => {
  let h: Harness;
  let applicationId: string;
  const code = creditCode('91320214MA1RE0001');
  const owner: Principal = { sub: 'ent-sec', role: 'enterprise', org: code };
  const stranger: Principal = { sub: 'officer-suzhou', role: 'officer', jurisdiction: 'js.suzhou' };

  beforeAll(async () => {
    h = await startApi({ captureLogs: true });
    const city: Principal = { sub: 'officer-sec', role: 'officer', jurisdiction: 'js.wuxi' };
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 3,
        title: '安全事件测试',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    await h.request('POST', '/v1/enterprises', {
      as: owner,
      body: {
        creditCode: code,
        name: '无锡安全测试有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    const draft = await h.request('POST', '/v1/applications', {
      as: owner,
      body: { roundId: round.body.id, creditCode: code, data: eagletData() },
    });
    expect(draft.status).toBe(201);
    applicationId = draft.body.id;
  });
  afterAll(() => h.close());

  it('logs one line per refusal with status, reason, caller, method, route and target, never the token', async () => {
    const strangerToken = await h.token(stranger);
    const forged = `${strangerToken.slice(0, -4)}AAAA`;
    const before = events(h).length;

    expect((await h.request('GET', `/v1/applications/${applicationId}`)).status).toBe(401);
    const bad = await h.app.inject({
      method: 'GET',
      url: `/v1/applications/${applicationId}?asOf=2026-03-01T00:00:00Z`,
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(bad.statusCode).toBe(401);
    expect((await h.request('GET', '/v1/audit/verify', { as: stranger })).status).toBe(403);
    expect((await h.request('GET', `/v1/applications/${applicationId}`, { as: stranger })).status).toBe(404);

    const refused = events(h).slice(before);
    expect(refused).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'Security',
        status: 401,
        reason: 'no bearer token',
        method: 'GET',
        route: '/v1/applications/:id',
        target: applicationId,
      }),
      expect.objectContaining({ status: 401, reason: 'bad signature', route: '/v1/applications/:id' }),
      expect.objectContaining({
        status: 403,
        caller: { sub: 'officer-suzhou', role: 'officer' },
        route: '/v1/audit/verify',
      }),
      expect.objectContaining({
        status: 404,
        reason: expect.stringContaining('out of reach'),
        caller: { sub: 'officer-suzhou', role: 'officer' },
        method: 'GET',
        route: '/v1/applications/:id',
        target: applicationId,
      }),
    ]);
    expect(refused[0]).not.toHaveProperty('caller');
    expect(refused[1]).not.toHaveProperty('caller');
    const text = h.logLines.join('\n');
    expect(text).not.toContain(strangerToken);
    expect(text).not.toContain(forged);
    expect(text).not.toContain(forged.split('.')[1]); // not even the payload part
    expect(text).not.toContain('asOf'); // no query strings
  });

  it('does not count an unknown route, or a refusal for bad input, as an access refusal', async () => {
    const before = events(h).length;
    expect((await h.request('GET', '/v1/nowhere', { as: owner })).status).toBe(404);
    expect((await h.request('GET', '/v1/applications/not-a-uuid', { as: owner })).status).toBe(400);
    expect(events(h).slice(before)).toEqual([]);
  });
});

describe('personal-data vault in the api', () => {
  it('is injectable as PersonalDataVault and shares its key table with the CLI (forget reaches what the api sealed)', async () => {
    const h = await startApi();
    try {
      const vault = h.app.get(PersonalDataVault);
      const subject = vault.subjectFor('id-number', '11010519491231002X');
      const sealed = await vault.seal(subject, { name: '陈静', phone: '13712345678' });
      const config = loadConfig({ DATA_DIR: h.dataDir });
      const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
      try {
        const operator = await KeyTableVault.open(db, config.PII_MASTER_KEY);
        await expect(operator.open(sealed)).resolves.toEqual({ name: '陈静', phone: '13712345678' });
        await expect(operator.forget(subject, 'e2e')).resolves.toBe(true);
      } finally {
        await db.close();
      }
      await expect(vault.open(sealed)).resolves.toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
