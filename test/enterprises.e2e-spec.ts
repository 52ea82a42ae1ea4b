import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

const cityOfficer = { sub: 'officer-city', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwuOfficer = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const liangxiOfficer = { sub: 'officer-liangxi', role: 'officer' as const, jurisdiction: 'js.wuxi.liangxi' };
const auditor = { sub: 'auditor-1', role: 'auditor' as const };
const expert = { sub: 'expert-1', role: 'expert' as const };

describe('enterprises', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => {
    await h.close();
  });

  const codeA = creditCode('91320214MA1XK0001');
  const codeB = creditCode('91320213MA1LA0002');
  const enterpriseA = { sub: 'ent-a', role: 'enterprise' as const, org: codeA };
  const enterpriseB = { sub: 'ent-b', role: 'enterprise' as const, org: codeB };

  it('registers an enterprise itself or through an officer over its jurisdiction', async () => {
    const own = await h.request('POST', '/v1/enterprises', {
      as: enterpriseA,
      body: {
        creditCode: codeA,
        name: '无锡芯动微电子科技有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    expect(own).toMatchObject({ status: 201, body: { creditCode: codeA } });
    const byOfficer = await h.request('POST', '/v1/enterprises', {
      as: liangxiOfficer,
      body: {
        creditCode: codeB,
        name: '无锡梁溪智造科技有限公司',
        jurisdiction: 'js.wuxi.liangxi',
        establishedOn: '2021-08-01',
      },
    });
    expect(byOfficer.status).toBe(201);
  });

  it('refuses a second registration (409), another enterprise (403) and a jurisdiction outside the officer (403)', async () => {
    const body = {
      creditCode: codeA,
      name: '重复',
      jurisdiction: 'js.wuxi.xinwu',
      establishedOn: '2019-05-20',
    };
    expect((await h.request('POST', '/v1/enterprises', { as: enterpriseA, body })).body).toMatchObject({
      statusCode: 409,
      code: 'ENTERPRISE_EXISTS',
    });
    const other = creditCode('91320214MA1XK0003');
    expect(
      (await h.request('POST', '/v1/enterprises', { as: enterpriseA, body: { ...body, creditCode: other } }))
        .status,
    ).toBe(403);
    expect(
      (
        await h.request('POST', '/v1/enterprises', {
          as: liangxiOfficer,
          body: { ...body, creditCode: other },
        })
      ).status,
    ).toBe(403);
    expect(
      (await h.request('POST', '/v1/enterprises', { as: auditor, body: { ...body, creditCode: other } }))
        .status,
    ).toBe(403);
  });

  it('refuses a credit code whose check character is wrong, naming the field', async () => {
    const wrong = codeA.slice(0, 17) + (codeA[17] === '1' ? '2' : '1');
    const res = await h.request('POST', '/v1/enterprises', {
      as: cityOfficer,
      body: { creditCode: wrong, name: '校验位错误', jurisdiction: 'js.wuxi', establishedOn: '2020-01-01' },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'creditCode', message: expect.stringContaining('校验码错误') },
    ]);
    const en = await h.request('POST', '/v1/enterprises', {
      as: cityOfficer,
      headers: { 'accept-language': 'en' },
      body: { creditCode: wrong, name: '校验位错误', jurisdiction: 'js.wuxi', establishedOn: '2020-01-01' },
    });
    expect(en.body.details).toEqual([
      { field: 'creditCode', message: expect.stringContaining('check character') },
    ]);
  });

  it('shows an enterprise to itself, officers over it and auditors; 404 to everyone else', async () => {
    const url = `/v1/enterprises/${codeA}`;
    for (const caller of [enterpriseA, cityOfficer, xinwuOfficer, auditor]) {
      const res = await h.request('GET', url, { as: caller });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        creditCode: codeA,
        name: '无锡芯动微电子科技有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
        applications: [],
        memberships: [],
      });
      expect(res.headers.etag).toBe('"0"');
    }
    expect((await h.request('GET', url, { as: enterpriseB })).status).toBe(404);
    expect((await h.request('GET', url, { as: liangxiOfficer })).status).toBe(404);
    expect((await h.request('GET', url, { as: expert })).status).toBe(403);
    expect((await h.request('GET', url)).status).toBe(401);
    expect(
      (await h.request('GET', `/v1/enterprises/${creditCode('91320214MA1XK0004')}`, { as: auditor })).status,
    ).toBe(404);
  });
});
