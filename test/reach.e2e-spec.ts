import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { creditCode } from './support/fixtures';

/**
 * Who may do what: every endpoint of the enterprise/round/application contract, called by
 * every kind of caller, each answer checked. 2xx: allowed; 403: that role may never do it;
 * 404: the resource is out of the caller's reach (existence is never leaked); 401: no token.
 *
 * The application lives in js.wuxi.xinwu; its round is issued by js.wuxi.
 */
const callers = {
  owner: undefined as unknown as Principal, // set once the enterprise exists
  otherEnterprise: { sub: 'ent-other', role: 'enterprise', org: creditCode('91320213MA1RC0002') },
  districtOfficer: { sub: 'officer-xinwu', role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
  cityOfficer: { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' },
  provinceOfficer: { sub: 'officer-js', role: 'officer', jurisdiction: 'js' },
  otherDistrictOfficer: { sub: 'officer-liangxi', role: 'officer', jurisdiction: 'js.wuxi.liangxi' },
  otherCityOfficer: { sub: 'officer-suzhou', role: 'officer', jurisdiction: 'js.suzhou' },
  auditor: { sub: 'auditor-1', role: 'auditor' },
  expert: { sub: 'expert-1', role: 'expert' },
  admin: { sub: 'admin-1', role: 'admin' },
  anonymous: undefined,
} satisfies Record<string, Principal | undefined>;
type Caller = keyof typeof callers;

interface Fixture {
  code: string;
  roundId: string;
  draftId: string;
  submittedId: string;
}

type Cell = number | [number, string]; // status, or status with the expected error code
interface Row {
  endpoint: string;
  /** Makes whatever a successful call needs (a fresh draft, an open round...) and calls. */
  call: (
    h: Harness,
    f: Fixture,
    as: Principal | undefined,
  ) => Promise<{ status: number; body: { code?: string } }>;
  expect: Record<Caller, Cell>;
}

const OWN = 'owner';

const ports = new WeakMap<Harness, Promise<number>>();
/** The status (and error body) of a streaming GET, over a real socket. */
async function streamStatus(h: Harness, path: string, as: Principal | undefined) {
  if (!ports.has(h)) {
    ports.set(
      h,
      h.app
        .listen({ port: 0, host: '127.0.0.1' })
        .then(() => (h.app.getHttpServer().address() as AddressInfo).port),
    );
  }
  const port = await ports.get(h)!;
  const headers: Record<string, string> = as ? { authorization: `Bearer ${await h.token(as)}` } : {};
  return new Promise<{ status: number; body: { code?: string } }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      if (res.statusCode === 200) {
        res.destroy();
        resolve({ status: 200, body: {} });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('reach: every endpoint, every caller', () => {
  let h: Harness;
  let serial = 0;
  const newCode = () => creditCode(`91320214MA1RC${String(100 + ++serial).padStart(4, '0')}`);

  async function enterprise(): Promise<{ code: string; as: Principal }> {
    const code = newCode();
    const as = { sub: `ent-${code}`, role: 'enterprise' as const, org: code };
    const res = await h.request('POST', '/v1/enterprises', {
      as,
      body: {
        creditCode: code,
        name: `无锡权限测试${serial}有限公司`,
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    expect(res.status).toBe(201);
    return { code, as };
  }
  async function round(): Promise<string> {
    const res = await h.request('POST', '/v1/rounds', {
      as: callers.cityOfficer,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '权限测试批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    return res.body.id;
  }
  async function fixture(): Promise<Fixture & { owner: Principal }> {
    const { code, as } = await enterprise();
    const roundId = await round();
    const draft = await h.request('POST', '/v1/applications', {
      as,
      body: { roundId, creditCode: code, data: eagletData() },
    });
    const other = await h.request('POST', '/v1/applications', {
      as,
      body: { roundId, creditCode: code, data: eagletData() },
    });
    await h.request('POST', `/v1/applications/${other.body.id}/submit`, { as });
    return { code, roundId, draftId: draft.body.id, submittedId: other.body.id, owner: as };
  }

  const who = (caller: Caller, owner: Principal) => (caller === OWN ? owner : callers[caller]);

  const rows: Row[] = [
    {
      endpoint: 'GET /v1/programmes',
      call: (h, _f, as) => h.request('GET', '/v1/programmes', { as }),
      expect: {
        owner: 200,
        otherEnterprise: 200,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 200,
        otherCityOfficer: 200,
        auditor: 200,
        expert: 200,
        admin: 200,
        anonymous: 401,
      },
    },
    {
      endpoint: 'POST /v1/enterprises (in js.wuxi.xinwu)',
      call: (h, _f, as) => {
        // Enterprises try to register the fixture's enterprise: the owner finds it exists, others may not.
        const code = as?.role === 'enterprise' ? _f.code : newCode();
        return h.request('POST', '/v1/enterprises', {
          as,
          body: {
            creditCode: code,
            name: '无锡新注册有限公司',
            jurisdiction: 'js.wuxi.xinwu',
            establishedOn: '2020-01-01',
          },
        });
      },
      expect: {
        owner: [409, 'ENTERPRISE_EXISTS'],
        otherEnterprise: [403, 'FORBIDDEN'],
        districtOfficer: 201,
        cityOfficer: 201,
        provinceOfficer: 201,
        otherDistrictOfficer: 403,
        otherCityOfficer: 403,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/enterprises/:creditCode',
      call: (h, f, as) => h.request('GET', `/v1/enterprises/${f.code}`, { as }),
      expect: {
        owner: 200,
        otherEnterprise: 404,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 404,
        otherCityOfficer: 404,
        auditor: 200,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'POST /v1/rounds (issued by js.wuxi)',
      call: (h, _f, as) =>
        h.request('POST', '/v1/rounds', {
          as,
          body: {
            programme: 'gazelle',
            year: 2026,
            batch: 2,
            title: '权限',
            jurisdiction: 'js.wuxi',
            opensAt: '2026-03-01T00:00:00+08:00',
            closesAt: '2026-04-30T17:00:00+08:00',
          },
        }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 403,
        cityOfficer: 201,
        provinceOfficer: 201,
        otherDistrictOfficer: 403,
        otherCityOfficer: 403,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/rounds/:id',
      call: (h, f, as) => h.request('GET', `/v1/rounds/${f.roundId}`, { as }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 200,
        otherCityOfficer: 404,
        auditor: 200,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/rounds/:id/stats',
      call: (h, f, as) => h.request('GET', `/v1/rounds/${f.roundId}/stats`, { as }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 200,
        otherCityOfficer: 404,
        auditor: 200,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'POST /v1/rounds/:id/close',
      call: async (h, _f, as) => h.request('POST', `/v1/rounds/${await round()}/close`, { as }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 403,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 403,
        otherCityOfficer: 404,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'POST /v1/applications',
      call: (h, f, as) =>
        h.request('POST', '/v1/applications', {
          as,
          // Everyone applies for the fixture's enterprise: only that enterprise may.
          body: { roundId: f.roundId, creditCode: f.code, data: eagletData() },
        }),
      expect: {
        owner: 201,
        otherEnterprise: [404, 'ENTERPRISE_NOT_FOUND'],
        districtOfficer: 403,
        cityOfficer: 403,
        provinceOfficer: 403,
        otherDistrictOfficer: 403,
        otherCityOfficer: 403,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'PATCH /v1/applications/:id',
      call: (h, f, as) =>
        h.request('PATCH', `/v1/applications/${f.draftId}`, { as, body: { data: eagletData(1) } }),
      expect: {
        owner: 200,
        otherEnterprise: 404,
        districtOfficer: 403,
        cityOfficer: 403,
        provinceOfficer: 403,
        otherDistrictOfficer: 403,
        otherCityOfficer: 403,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'POST /v1/applications/:id/submit',
      call: (h, f, as) => h.request('POST', `/v1/applications/${f.draftId}/submit`, { as }),
      expect: {
        owner: 200,
        otherEnterprise: 404,
        districtOfficer: 403,
        cityOfficer: 403,
        provinceOfficer: 403,
        otherDistrictOfficer: 403,
        otherCityOfficer: 403,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'POST /v1/applications/:id/reviews (district stage)',
      call: (h, f, as) =>
        h.request('POST', `/v1/applications/${f.submittedId}/reviews`, {
          as,
          body: { stage: 'district', decision: 'recommend', reason: '同意' },
        }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 404,
        otherCityOfficer: 404,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/applications/:id',
      call: (h, f, as) => h.request('GET', `/v1/applications/${f.submittedId}`, { as }),
      expect: {
        owner: 200,
        otherEnterprise: 404,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 404,
        otherCityOfficer: 404,
        auditor: 200,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/applications/:id/history',
      call: (h, f, as) => h.request('GET', `/v1/applications/${f.submittedId}/history`, { as }),
      expect: {
        owner: 200,
        otherEnterprise: 404,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 404,
        otherCityOfficer: 404,
        auditor: 200,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      // An open stream never ends: asked over a real socket, closed once the status is known.
      endpoint: 'GET /v1/applications/:id/stream',
      call: (h, f, as) => streamStatus(h, `/v1/applications/${f.submittedId}/stream`, as),
      expect: {
        owner: 200,
        otherEnterprise: 404,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 404,
        otherCityOfficer: 404,
        auditor: 200,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/worklist',
      call: (h, _f, as) => h.request('GET', '/v1/worklist', { as }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 200,
        cityOfficer: 200,
        provinceOfficer: 200,
        otherDistrictOfficer: 200,
        otherCityOfficer: 200,
        auditor: 403,
        expert: 403,
        admin: 403,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/audit/events',
      call: (h, _f, as) => h.request('GET', '/v1/audit/events?limit=5', { as }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 403,
        cityOfficer: 403,
        provinceOfficer: 403,
        otherDistrictOfficer: 403,
        otherCityOfficer: 403,
        auditor: 200,
        expert: 403,
        admin: 200,
        anonymous: 401,
      },
    },
    {
      endpoint: 'GET /v1/audit/verify',
      call: (h, _f, as) => h.request('GET', '/v1/audit/verify', { as }),
      expect: {
        owner: 403,
        otherEnterprise: 403,
        districtOfficer: 403,
        cityOfficer: 403,
        provinceOfficer: 403,
        otherDistrictOfficer: 403,
        otherCityOfficer: 403,
        auditor: 200,
        expert: 403,
        admin: 200,
        anonymous: 401,
      },
    },
  ];

  beforeAll(async () => {
    h = await startApi();
    const other = callers.otherEnterprise;
    // The other enterprise is registered elsewhere (Liangxi) so that reach, not absence, is tested.
    await h.request('POST', '/v1/enterprises', {
      as: other,
      body: {
        creditCode: other.org,
        name: '无锡梁溪他人有限公司',
        jurisdiction: 'js.wuxi.liangxi',
        establishedOn: '2018-01-01',
      },
    });
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  it.each(rows.map((row) => [row.endpoint, row] as const))(
    '%s',
    async (_name, row) => {
      const mismatches: string[] = [];
      for (const caller of Object.keys(row.expect) as Caller[]) {
        const f = await fixture(); // fresh resources per cell: one caller's success never changes another's answer
        const res = await row.call(h, f, who(caller, f.owner));
        const cell = row.expect[caller];
        const [status, code] = Array.isArray(cell) ? cell : [cell, undefined];
        if (res.status !== status || (code && res.body.code !== code)) {
          mismatches.push(
            `${caller}: expected ${status}${code ? ` ${code}` : ''}, got ${res.status} ${res.body?.code ?? ''}`,
          );
        }
      }
      expect(mismatches).toEqual([]);
    },
    60_000,
  );

  it('covers every route the api serves (a new endpoint without a row fails here)', () => {
    const served = new Set<string>();
    const routes = h.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
    for (const line of routes.split('\n')) {
      const match = /([/\w:.-]+) \(([A-Z, ]+)\)/.exec(line.replace(/[│├└─ ]+(?=[/\w])/, ''));
      if (match) for (const method of match[2].split(', ')) served.add(`${method} ${match[1]}`);
    }
    const covered = rows.map((row) => row.endpoint.split(' (')[0].replace(/:creditCode|:id/g, ':param'));
    const api = [...served]
      .filter((route) => route.includes('/v1/') && !route.startsWith('HEAD'))
      .map((route) => route.replace(/:[A-Za-z]+/g, ':param'));
    expect(api.filter((route) => !covered.includes(route))).toEqual([]);
  });
});
