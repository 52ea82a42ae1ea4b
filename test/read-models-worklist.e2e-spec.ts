import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { postgresDatabase } from './support/postgres-database';
import { eagletData, gazelleData } from '@engine/incubation/testing/sample-applications';
import { creditCode } from './support/fixtures';
import { policiesWithSecondCity } from './support/policies';

/**
 * The officer's worklist over HTTP: exactly what awaits each officer, filters, pagination,
 * and read-your-writes (a review is reflected at once, though the list is a projection).
 * Run with the read models in SQLite (the default) and in PostgreSQL (READ_MODEL_URL).
 */

const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const liangxi = { sub: 'officer-liangxi', role: 'officer' as const, jurisdiction: 'js.wuxi.liangxi' };
const wuxi = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const suzhou = { sub: 'officer-suzhou', role: 'officer' as const, jurisdiction: 'js.suzhou' };
const enterpriseOf = (code: string): Principal => ({ sub: `ent-${code}`, role: 'enterprise', org: code });

interface Item {
  applicationId: string;
  creditCode: string;
  programme: string;
  status: string;
  since: string;
}

describe.each(['sqlite', 'postgres'] as const)('worklist (read models in %s)', (readModels) => {
  let h: Harness;
  let database: Awaited<ReturnType<typeof postgresDatabase>> | undefined;
  let serial = 0;
  const rounds: Record<string, string> = {};
  /** Application id -> where it is. */
  const apps: { id: string; code: string; district: string; programme: string }[] = [];

  async function round(programme: string, jurisdiction: string, as: Principal) {
    const res = await h.request('POST', '/v1/rounds', {
      as,
      body: {
        programme,
        year: 2026,
        batch: 1,
        title: `${jurisdiction} ${programme}`,
        jurisdiction,
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function submitted(district: string, programme = 'eaglet', roundId = rounds[programme]) {
    const code = creditCode(`91320214MW${String(++serial).padStart(7, '0')}`);
    const as = enterpriseOf(code);
    await h.request('POST', '/v1/enterprises', {
      as,
      body: {
        creditCode: code,
        name: `工作台测试${serial}`,
        jurisdiction: district,
        establishedOn: '2016-04-01',
      },
    });
    const data = programme === 'gazelle' ? gazelleData(serial) : eagletData(serial);
    const created = await h.request('POST', '/v1/applications', {
      as,
      body: { roundId, creditCode: code, data },
    });
    expect(created.status).toBe(201);
    h.clock.advance(60_000); // distinct "since" for a stable order
    const res = await h.request('POST', `/v1/applications/${created.body.id}/submit`, { as });
    expect(res.status).toBe(200);
    apps.push({ id: created.body.id, code, district, programme });
    return created.body.id as string;
  }

  const review = async (id: string, as: Principal, stage: 'district' | 'city', decision = 'recommend') => {
    h.clock.advance(60_000);
    const res = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as,
      body: { stage, decision, reason: '审核意见' },
    });
    expect(res.status).toBe(200);
  };

  async function worklist(as: Principal, query = ''): Promise<Item[]> {
    const res = await h.request('GET', `/v1/worklist${query}`, { as });
    expect(res.status).toBe(200);
    return res.body.items;
  }
  const ids = async (as: Principal, query = '') => (await worklist(as, query)).map((i) => i.applicationId);

  let xinwuDistrict: string[];
  let liangxiDistrict: string;
  let xinwuCity: string;
  let gazelleXinwu: string;
  let suzhouApp: string;
  const policies = policiesWithSecondCity();

  beforeAll(async () => {
    database = readModels === 'postgres' ? await postgresDatabase('rm_e2e') : undefined;
    h = await startApi({
      now: '2026-03-02T02:00:00.000Z',
      env: { POLICIES_DIR: policies.dir, ...(database ? { READ_MODEL_URL: database.url } : {}) },
    });
    rounds.eaglet = await round('eaglet', 'js.wuxi', wuxi);
    rounds.gazelle = await round('gazelle', 'js.wuxi', wuxi);
    rounds.suzhou = await round('eaglet', 'js.suzhou', suzhou);
    xinwuDistrict = [];
    for (let i = 0; i < 5; i++) xinwuDistrict.push(await submitted('js.wuxi.xinwu'));
    liangxiDistrict = await submitted('js.wuxi.liangxi');
    xinwuCity = await submitted('js.wuxi.xinwu');
    await review(xinwuCity, xinwu, 'district');
    gazelleXinwu = await submitted('js.wuxi.xinwu', 'gazelle');
    suzhouApp = await submitted('js.suzhou.sip', 'eaglet', rounds.suzhou);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await database?.drop();
    policies.remove();
  });

  it('shows each officer exactly what awaits them, oldest first, in the contract’s shape', async () => {
    expect(await ids(xinwu)).toEqual([...xinwuDistrict, gazelleXinwu]);
    expect(await ids(liangxi)).toEqual([liangxiDistrict]);
    // The city: district stages below it (it may act on them) and the city stage of its rounds.
    expect(new Set(await ids(wuxi))).toEqual(
      new Set([...xinwuDistrict, liangxiDistrict, xinwuCity, gazelleXinwu]),
    );
    expect(await ids(suzhou)).toEqual([suzhouApp]);
    const [first] = await worklist(xinwu);
    expect(first).toEqual({
      applicationId: xinwuDistrict[0],
      creditCode: apps.find((a) => a.id === xinwuDistrict[0])!.code,
      name: expect.stringMatching(/^工作台测试\d+$/),
      programme: 'eaglet',
      roundId: rounds.eaglet,
      status: 'submitted',
      awaiting: 'district',
      since: expect.stringMatching(/^2026-03-02T\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const since = (await worklist(wuxi)).map((i) => i.since);
    expect(since).toEqual([...since].sort());
  });

  it('reflects a review at once: the item moves from the district’s list to the city’s', async () => {
    const id = await submitted('js.wuxi.xinwu');
    expect(await ids(xinwu)).toContain(id);
    await review(id, xinwu, 'district');
    expect(await ids(xinwu)).not.toContain(id);
    expect(await ids(wuxi, '?status=recommended')).toContain(id);
    await review(id, wuxi, 'city', 'return');
    expect(await ids(wuxi)).not.toContain(id);
    // Resubmitted after a return by the city, it goes back to the city.
    const code = apps.find((a) => a.id === id)!.code;
    expect(
      (await h.request('POST', `/v1/applications/${id}/submit`, { as: enterpriseOf(code) })).status,
    ).toBe(200);
    const items = await worklist(wuxi, '?status=submitted');
    expect(items.find((i) => i.applicationId === id)).toMatchObject({ status: 'submitted' });
    expect(await ids(xinwu)).not.toContain(id);
  });

  it('filters by programme, round and status', async () => {
    expect(await ids(wuxi, '?programme=gazelle')).toEqual([gazelleXinwu]);
    expect(await ids(wuxi, `?round=${rounds.gazelle}`)).toEqual([gazelleXinwu]);
    expect(await ids(wuxi, '?status=recommended')).toContain(xinwuCity);
    expect(await ids(wuxi, '?status=recommended&programme=gazelle')).toEqual([]);
    expect(await ids(xinwu, '?status=draft')).toEqual([]);
  });

  it('pages with an opaque cursor until next is null, never repeating or skipping', async () => {
    const all = await ids(wuxi);
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const res = await h.request(
        'GET',
        `/v1/worklist?limit=3${next ? `&cursor=${encodeURIComponent(next)}` : ''}`,
        {
          as: wuxi,
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((i: Item) => i.applicationId));
      next = res.body.next;
      pages++;
    } while (next);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  it('refuses bad parameters with 400 in the contract’s shape', async () => {
    for (const query of [
      '?cursor=garbage',
      '?status=pending',
      '?limit=0',
      '?limit=201',
      '?limit=x',
      '?colour=red',
    ]) {
      const res = await h.request('GET', `/v1/worklist${query}`, { as: wuxi });
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
  });
});
