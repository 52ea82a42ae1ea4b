import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { postgresDatabase } from './support/postgres-database';
import { BrowserSession } from './support/browser-session';

/**
 * Sessions live in the shared read-model database, not in a replica's memory (issue 15): two
 * api replicas over one store and one PostgreSQL read-model database, as in production. A
 * browser signs in through replica A; an admin on replica B disables the account or changes
 * its role; A refuses the open session on its very next request, and sign-out on one ends
 * the session on the other.
 */
const ADMIN: Principal = { sub: 'admin-replicas', role: 'admin' };
const PASSWORD = 'Replica-xinwu-2026!';

describe('sessions across api replicas (PostgreSQL read models)', () => {
  let database: Awaited<ReturnType<typeof postgresDatabase>>;
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    database = await postgresDatabase('auth_e2e');
    a = await startApi({ env: { READ_MODEL_URL: database.url } });
    b = await startApi({ dataDir: a.dataDir, withWorker: false, env: { READ_MODEL_URL: database.url } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  async function officer(login: string) {
    const res = await b.request('POST', '/v1/accounts', {
      as: ADMIN,
      body: { login, name: '郑科长', password: PASSWORD, role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('a disable or a role change on one replica ends the session open on the other at once', async () => {
    const id = await officer('officer.replica');
    const onA = new BrowserSession(a);
    expect((await onA.signIn('officer.replica', PASSWORD)).status).toBe(200);
    expect((await onA.request('GET', '/v1/worklist')).status).toBe(200);
    // The same cookie is good on the other replica too: the session is shared, not sticky.
    const onB = new BrowserSession(b);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    expect((await onB.request('GET', '/v1/me')).body).toMatchObject({ sub: id, role: 'officer' });

    expect((await b.request('POST', `/v1/accounts/${id}/disable`, { as: ADMIN })).status).toBe(200);
    expect(await onA.request('GET', '/v1/worklist')).toMatchObject({
      status: 401,
      body: { code: 'SESSION_ENDED' },
    });

    expect((await b.request('POST', `/v1/accounts/${id}/enable`, { as: ADMIN })).status).toBe(200);
    const again = new BrowserSession(a);
    expect((await again.signIn('officer.replica', PASSWORD)).status).toBe(200);
    const moved = await b.request('POST', `/v1/accounts/${id}/role`, {
      as: ADMIN,
      body: { role: 'officer', jurisdiction: 'js.wuxi' },
    });
    expect(moved.status).toBe(200);
    expect((await again.request('GET', '/v1/me')).status).toBe(401);
    expect((await new BrowserSession(a).signIn('officer.replica', PASSWORD)).body).toMatchObject({
      jurisdiction: 'js.wuxi',
    });
  });

  it('signing out through one replica ends the session on the other', async () => {
    await officer('officer.signout');
    const onA = new BrowserSession(a);
    expect((await onA.signIn('officer.signout', PASSWORD)).status).toBe(200);
    const cookie = onA.cookieHeader();
    const onB = new BrowserSession(b);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    expect((await onB.request('POST', '/v1/auth/sign-out')).status).toBe(204);
    expect(await a.request('GET', '/v1/me', { headers: { cookie } })).toMatchObject({
      status: 401,
      body: { code: 'SESSION_ENDED' },
    });
  });
});
