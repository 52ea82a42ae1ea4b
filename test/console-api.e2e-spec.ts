import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { expectMatches } from './support/openapi-contract';
import { policiesWithSecondCity } from './support/policies';

/**
 * The API additions the console stands on, as contracts: `GET /v1/rounds`, a round's
 * application table, names in the worklist and the batch panel draw. Every answer is also
 * checked against the response schema the OpenAPI document declares (the typed client of
 * apps/web is generated from it).
 */
const wuxi: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };
const xinwu: Principal = { sub: 'officer-xinwu', role: 'officer', jurisdiction: 'js.wuxi.xinwu' };
const suzhou: Principal = { sub: 'officer-suzhou', role: 'officer', jurisdiction: 'js.suzhou' };
const auditor: Principal = { sub: 'auditor-1', role: 'auditor' };

jest.setTimeout(30_000);

describe('console API additions', () => {
  let h: Harness;
  let eagletRound: string;
  let gazelleRound: string;
  let suzhouRound: string;
  const policies = policiesWithSecondCity();
  const apps: { id: string; code: string; name: string; district: string }[] = [];

  async function ok(method: 'GET' | 'POST', url: string, as: Principal, body?: unknown) {
    const res = await h.request(method, url, { as, body });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async function openRound(programme: string, jurisdiction: string, batch: number, as: Principal) {
    const body = await ok('POST', '/v1/rounds', as, {
      programme,
      year: 2026,
      batch,
      title: `2026年度测试批次${batch}`,
      jurisdiction,
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-12-31T17:00:00+08:00',
    });
    return body.id as string;
  }

  beforeAll(async () => {
    h = await startApi({ env: { POLICIES_DIR: policies.dir } });
    eagletRound = await openRound('eaglet', 'js.wuxi', 1, wuxi);
    gazelleRound = await openRound('gazelle', 'js.wuxi', 2, wuxi);
    suzhouRound = await openRound('eaglet', 'js.suzhou', 1, suzhou);
    const names = [
      '无锡芯动微电子科技有限公司',
      '无锡星河生物医药有限公司',
      '无锡青岚智能装备有限公司',
      '无锡芯光传感技术有限公司',
    ];
    for (const [i, name] of names.entries()) {
      const code = creditCode(`91320214MA1CA${String(1000 + i)}`);
      const district = i % 2 === 0 ? 'js.wuxi.xinwu' : 'js.wuxi.liangxi';
      const owner: Principal = { sub: `ent-${code}`, role: 'enterprise', org: code };
      await ok('POST', '/v1/enterprises', owner, {
        creditCode: code,
        name,
        jurisdiction: district,
        establishedOn: '2019-05-20',
      });
      const created = await ok('POST', '/v1/applications', owner, {
        roundId: eagletRound,
        creditCode: code,
        data: eagletData(i),
      });
      await ok('POST', `/v1/applications/${created.id}/submit`, owner);
      apps.push({ id: created.id, code, name, district });
    }
    for (let n = 1; n <= 16; n++)
      await ok(
        'POST',
        '/v1/experts',
        { sub: 'admin-1', role: 'admin' },
        {
          id: `ca-e-${n}`,
          name: `专家${n}`,
          field: n <= 3 ? 'finance' : 'engineering',
          affiliations: [],
        },
      );
  }, 120_000);
  afterAll(async () => {
    await h.close();
    policies.remove();
  });

  describe('GET /v1/rounds', () => {
    it('lists the rounds in reach, newest batch first, with their status and counts', async () => {
      const body = await ok('GET', '/v1/rounds', wuxi);
      await expectMatches(h, 'GET', '/v1/rounds', 200, body);
      expect(body.items.map((r: { id: string }) => r.id)).toEqual([gazelleRound, eagletRound]);
      const eaglet = body.items[1];
      expect(eaglet).toMatchObject({
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        jurisdiction: 'js.wuxi',
        status: 'open',
        policyVersion: expect.stringMatching(/^eaglet\//),
        counts: { total: 4, byStatus: { submitted: 4 } },
      });
      expect(body.next).toBeNull();
    });

    it('shows an officer below the issuer the round with their own part counted', async () => {
      const body = await ok('GET', '/v1/rounds?programme=eaglet', xinwu);
      expect(body.items).toHaveLength(1);
      expect(body.items[0].counts).toEqual({ total: 2, byStatus: { submitted: 2 } });
    });

    it('filters by programme, year, status and jurisdiction; auditors see every round', async () => {
      expect((await ok('GET', '/v1/rounds', auditor)).items).toHaveLength(3);
      expect(
        (await ok('GET', '/v1/rounds?jurisdiction=js.suzhou', auditor)).items.map(
          (r: { id: string }) => r.id,
        ),
      ).toEqual([suzhouRound]);
      expect((await ok('GET', '/v1/rounds?programme=gazelle', wuxi)).items).toHaveLength(1);
      expect((await ok('GET', '/v1/rounds?year=2025', wuxi)).items).toHaveLength(0);
      expect((await ok('GET', '/v1/rounds?status=open', wuxi)).items).toHaveLength(2);
      expect((await ok('GET', '/v1/rounds?status=finalized', wuxi)).items).toHaveLength(0);
    });

    it('pages with a cursor, never repeating a round', async () => {
      const first = await ok('GET', '/v1/rounds?limit=2', auditor);
      expect(first.items).toHaveLength(2);
      const second = await ok('GET', `/v1/rounds?limit=2&cursor=${first.next}`, auditor);
      expect(second.items).toHaveLength(1);
      expect(second.next).toBeNull();
      const ids = [...first.items, ...second.items].map((r: { id: string }) => r.id);
      expect(new Set(ids).size).toBe(3);
    });

    it('refuses bad filters and cursors with 400, enterprises with 403', async () => {
      for (const q of ['status=nope', 'year=abc', 'cursor=garbage', 'jurisdiction=JS!', 'limit=0']) {
        const res = await h.request('GET', `/v1/rounds?${q}`, { as: wuxi });
        expect([q, res.status, res.body.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
      }
      const res = await h.request('GET', '/v1/rounds', {
        as: { sub: 'e', role: 'enterprise', org: apps[0].code },
      });
      expect(res.status).toBe(403);
    });
  });

  describe('GET /v1/rounds/:id/applications', () => {
    const url = () => `/v1/rounds/${eagletRound}/applications`;

    it('gives the table rows with names, districts, eligibility and the total', async () => {
      const body = await ok('GET', url(), wuxi);
      await expectMatches(h, 'GET', '/v1/rounds/{id}/applications', 200, body);
      expect(body.total).toBe(4);
      expect(body.items.map((r: { name: string }) => r.name)).toEqual(apps.map((a) => a.name));
      expect(body.items[0]).toMatchObject({
        applicationId: apps[0].id,
        creditCode: apps[0].code,
        status: 'submitted',
        district: 'js.wuxi.xinwu',
        eligible: expect.any(Boolean),
        score: null,
        awaiting: 'district',
      });
    });

    it('finds an application by part of its name or the start of its credit code', async () => {
      const byName = await ok('GET', `${url()}?q=${encodeURIComponent('星河')}`, wuxi);
      expect(byName.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([apps[1].id]);
      expect(byName.total).toBe(1);
      const byCode = await ok('GET', `${url()}?q=${apps[2].code.slice(0, 17).toLowerCase()}`, wuxi);
      expect(byCode.items.map((r: { applicationId: string }) => r.applicationId)).toEqual([apps[2].id]);
      const both = await ok('GET', `${url()}?q=${encodeURIComponent('芯')}`, wuxi);
      expect(both.total).toBe(2);
    });

    it('filters by district, status and eligibility, and sorts', async () => {
      const xin = await ok('GET', `${url()}?district=js.wuxi.xinwu`, wuxi);
      expect(xin.items.map((r: { district: string }) => r.district)).toEqual([
        'js.wuxi.xinwu',
        'js.wuxi.xinwu',
      ]);
      expect((await ok('GET', `${url()}?status=returned`, wuxi)).total).toBe(0);
      const eligible = await ok('GET', `${url()}?eligible=true`, wuxi);
      const ineligible = await ok('GET', `${url()}?eligible=false`, wuxi);
      expect(eligible.total + ineligible.total).toBe(4);
      const byName = await ok('GET', `${url()}?sort=-name`, wuxi);
      const names = byName.items.map((r: { name: string }) => r.name);
      expect(names).toEqual([...names].sort().reverse());
    });

    it('pages by cursor or offset, with the same total on every page', async () => {
      const first = await ok('GET', `${url()}?limit=3`, wuxi);
      expect(first.items).toHaveLength(3);
      const second = await ok('GET', `${url()}?limit=3&cursor=${first.next}`, wuxi);
      expect(second).toMatchObject({ total: 4, offset: 3, next: null });
      expect(second.items[0].applicationId).toBe(apps[3].id);
      const jumped = await ok('GET', `${url()}?limit=3&offset=3`, wuxi);
      expect(jumped.items).toEqual(second.items);
    });

    it('shows an officer below the issuer their own part; another branch gets 404', async () => {
      expect((await ok('GET', url(), xinwu)).total).toBe(2);
      expect((await h.request('GET', url(), { as: suzhou })).status).toBe(404);
      const bad = await h.request('GET', `${url()}?sort=nope`, { as: wuxi });
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  it('names the enterprise in each worklist row', async () => {
    const body = await ok('GET', '/v1/worklist', xinwu);
    await expectMatches(h, 'GET', '/v1/worklist', 200, body);
    expect(body.items.map((i: { name: string }) => i.name).sort()).toEqual(
      [apps[0].name, apps[2].name].sort(),
    );
  });

  describe('POST /v1/rounds/:id/panels', () => {
    it('draws a panel for every application accepted for expert review, and nothing twice', async () => {
      for (const app of apps.slice(0, 3))
        for (const stage of ['district', 'city'])
          await ok('POST', `/v1/applications/${app.id}/reviews`, wuxi, {
            stage,
            decision: 'recommend',
            reason: '同意',
          });
      // One of them already has its panel, drawn by hand.
      await ok('POST', `/v1/applications/${apps[0].id}/panel`, wuxi, {});

      const first = await ok('POST', `/v1/rounds/${eagletRound}/panels`, wuxi);
      await expectMatches(h, 'POST', '/v1/rounds/{id}/panels', 200, first);
      expect(first.drawn.map((d: { applicationId: string }) => d.applicationId).sort()).toEqual(
        [apps[1].id, apps[2].id].sort(),
      );
      for (const d of first.drawn) expect(d.experts).toHaveLength(5);
      expect(first.skipped).toEqual([
        expect.objectContaining({ applicationId: apps[0].id, code: 'PANEL_EXISTS' }),
      ]);
      expect(first.failed).toEqual([]);

      const again = await ok('POST', `/v1/rounds/${eagletRound}/panels`, wuxi);
      expect(again.drawn).toEqual([]);
      expect(again.skipped).toHaveLength(3);
      const application = await ok('GET', `/v1/applications/${apps[1].id}`, wuxi);
      expect(JSON.stringify(application)).toContain(
        first.drawn.find((d: { applicationId: string }) => d.applicationId === apps[1].id).experts[0],
      );
    });

    it('is for officers of the issuing jurisdiction only', async () => {
      const res = await h.request('POST', `/v1/rounds/${eagletRound}/panels`, { as: xinwu });
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    });
  });
});
