import { createHash } from 'node:crypto';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { multipart } from './support/materials';
import { expectMatches } from './support/openapi-contract';

/**
 * Reference registers (docs/policies.md): an officer imports the tech-SME register, a submission
 * under eaglet/wuxi-2020 cites its entry, and the round's screening lists the registered firm
 * that has not applied (a draft counts as applied).
 */
jest.setTimeout(120_000);

const wuxi: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };
const APPLYING = creditCode('91320214MA1RG0001');
const NOT_APPLYING = creditCode('91320214MA1RG0002');
/** Has only a draft in the round: that counts as having applied. */
const DRAFTING = creditCode('91320214MA1RG0003');
const HEADER = '统一社会信用代码,企业名称,登记编号,有效期起,有效期至,所属地区代码';
const GOOD =
  `${HEADER}\n${APPLYING},无锡甲科技有限公司,202132021400001,2021-01-01,2021-12-31,js.wuxi.xinwu\n` +
  `${NOT_APPLYING},无锡乙科技有限公司,202132021400002,2021-01-01,2021-12-31,js.wuxi.xinwu\n` +
  `${DRAFTING},无锡丙科技有限公司,202132021400003,2021-01-01,2021-12-31,js.wuxi.xinwu\n`;

describe('reference registers and screening', () => {
  let h: Harness;
  const upload = async (csv: string, as: Principal = wuxi) => {
    const { body, contentType } = multipart({}, { name: '科技型中小企业.csv', content: Buffer.from(csv) });
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/registers/tech-sme',
      headers: { authorization: `Bearer ${await h.token(as)}`, 'content-type': contentType },
      payload: body,
    });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    h = await startApi({ now: '2021-03-02T02:00:00.000Z' });
  }, 60_000);
  afterAll(() => h.close());

  it('refuses a bad file whole, naming each bad line; imports a good one as a version by its digest', async () => {
    const wrong = NOT_APPLYING.slice(0, 17) + (NOT_APPLYING[17] === '1' ? '2' : '1');
    const bad = await upload(GOOD.replace(NOT_APPLYING, wrong));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'REGISTER_FILE_INVALID',
      details: [expect.objectContaining({ line: 3, column: '统一社会信用代码' })],
    });
    const missing = await upload('统一社会信用代码,企业名称\n');
    expect(missing.body.message).toContain('缺少列');

    const good = await upload(GOOD);
    expect(good.status).toBe(201);
    await expectMatches(h, 'POST', '/v1/registers/{register}', 201, good.body);
    expect(good.body).toMatchObject({
      register: 'tech-sme',
      jurisdiction: 'js.wuxi',
      version: createHash('sha256').update(GOOD).digest('hex'),
      rowCount: 3,
      format: 'csv',
      importedOn: '2021-03-02',
    });
    expect((await upload(GOOD)).body.code).toBe('REGISTER_UNCHANGED');
    const current = await h.request('GET', '/v1/registers/tech-sme?jurisdiction=js.wuxi', {
      as: { sub: 'auditor-1', role: 'auditor' },
    });
    expect(current.body).toMatchObject({ version: good.body.version, rowCount: 3 });
  });

  it('cites the entry in the explanation and screens the round for the firm that has not applied', async () => {
    const round = await h.request('POST', '/v1/rounds', {
      as: wuxi,
      body: {
        programme: 'eaglet',
        year: 2021,
        batch: 1,
        title: '2021年度雏鹰企业第一批',
        jurisdiction: 'js.wuxi',
        opensAt: '2021-03-01T00:00:00+08:00',
        closesAt: '2021-04-30T17:00:00+08:00',
      },
    });
    expect(round.body.policyVersion ?? 'eaglet/wuxi-2020').toBe('eaglet/wuxi-2020');
    const as: Principal = { sub: 'ent-1', role: 'enterprise', org: APPLYING };
    await h.request('POST', '/v1/enterprises', {
      as,
      body: {
        creditCode: APPLYING,
        name: '无锡甲科技有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2016-05-20',
      },
    });
    const created = await h.request('POST', '/v1/applications', {
      as,
      body: {
        roundId: round.body.id,
        creditCode: APPLYING,
        data: {
          financials: [
            {
              year: 2020,
              revenue: 12_600_000,
              mainBusinessRevenue: 12_100_000,
              rdExpense: 980_000,
              netProfit: 650_000,
            },
          ],
          employees: 46,
          rdStaff: 17,
          ipRights: { classI: 1, classII: 5, applied: 3 },
          negativeRecords: { majorAccident: false, seriousDishonesty: false },
        },
      },
    });
    expect(created.status).toBe(201);
    const submitted = await h.request('POST', `/v1/applications/${created.body.id}/submit`, { as });
    expect(submitted.status).toBe(200);
    const check = submitted.body.eligibility.checks.find(
      (c: { rule: string }) => c.rule === 'register-screening',
    );
    expect(check).toMatchObject({ passed: true, hard: false, kind: 'register' });
    expect(check.actual).toContain(
      '科技型中小企业名录 证书编号 202132021400001，有效期 2021-01-01 至 2021-12-31',
    );

    // A third registered firm only starts a draft: it has applied, and is not invited.
    const drafter: Principal = { sub: 'ent-3', role: 'enterprise', org: DRAFTING };
    await h.request('POST', '/v1/enterprises', {
      as: drafter,
      body: {
        creditCode: DRAFTING,
        name: '无锡丙科技有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2017-03-01',
      },
    });
    const draft = await h.request('POST', '/v1/applications', {
      as: drafter,
      body: { roundId: round.body.id, creditCode: DRAFTING, data: eagletData() },
    });
    expect(draft.status).toBe(201);

    await h.settle();
    const screening = await h.request('GET', `/v1/rounds/${round.body.id}/screening`, { as: wuxi });
    expect(screening.status).toBe(200);
    await expectMatches(h, 'GET', '/v1/rounds/{id}/screening', 200, screening.body);
    // Only the registered firm with no application at all, draft or submitted, is listed.
    expect(screening.body.candidates.map((c: { creditCode: string }) => c.creditCode)).toEqual([
      NOT_APPLYING,
    ]);
    expect(screening.body.versions).toEqual([expect.objectContaining({ register: 'tech-sme', rowCount: 3 })]);
    const district = await h.request('GET', `/v1/rounds/${round.body.id}/screening`, {
      as: { sub: 'o-2', role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
    });
    expect(district.status).toBe(404);
  });
});
