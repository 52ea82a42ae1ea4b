import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { expectMatches } from './support/openapi-contract';

/**
 * The officers' expert-review progress of a round (GET /v1/rounds/:id/panels) and replacing an
 * overdue expert (POST /v1/applications/:id/panel/replacements), as contracts.
 */
const wuxi: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };
const xinwu: Principal = { sub: 'officer-xinwu', role: 'officer', jurisdiction: 'js.wuxi.xinwu' };
const suzhou: Principal = { sub: 'officer-suzhou', role: 'officer', jurisdiction: 'js.suzhou' };

jest.setTimeout(30_000);

describe('expert-review progress and replacing an overdue expert', () => {
  let h: Harness;
  let round: string;
  const apps: string[] = [];

  async function ok(method: 'GET' | 'POST', url: string, as: Principal, body?: unknown) {
    const res = await h.request(method, url, { as, body });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  beforeAll(async () => {
    h = await startApi();
    round = (
      await ok('POST', '/v1/rounds', wuxi, {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '2026年度测试批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-12-31T17:00:00+08:00',
      })
    ).id;
    for (let i = 0; i < 3; i++) {
      const code = creditCode(`91320214MA1PR${String(1000 + i)}`);
      const owner: Principal = { sub: `ent-${code}`, role: 'enterprise', org: code };
      await ok('POST', '/v1/enterprises', owner, {
        creditCode: code,
        name: `无锡评审进度测试${i}有限公司`,
        jurisdiction: i === 2 ? 'js.wuxi.liangxi' : 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      });
      const created = await ok('POST', '/v1/applications', owner, {
        roundId: round,
        creditCode: code,
        data: eagletData(i),
      });
      await ok('POST', `/v1/applications/${created.id}/submit`, owner);
      apps.push(created.id);
    }
    for (let n = 1; n <= 20; n++)
      await ok(
        'POST',
        '/v1/experts',
        { sub: 'admin-1', role: 'admin' },
        { id: `pr-e-${n}`, name: `专家${n}`, field: n <= 3 ? 'finance' : 'engineering', affiliations: [] },
      );
    for (const id of apps.slice(0, 2))
      for (const stage of ['district', 'city'])
        await ok('POST', `/v1/applications/${id}/reviews`, wuxi, {
          stage,
          decision: 'recommend',
          reason: '同意',
        });
    await ok('POST', `/v1/applications/${apps[0]}/panel`, wuxi, {});
    await h.settle();
  }, 120_000);
  afterAll(async () => {
    await h.close();
  });

  it('shows each application in expert review with its seats: drawn, scored, overdue', async () => {
    const before = await ok('GET', `/v1/rounds/${round}/panels`, wuxi);
    await expectMatches(h, 'GET', '/v1/rounds/{id}/panels', 200, before);
    expect(before.total).toBe(2);
    const [drawn, notDrawn] = [apps[0], apps[1]].map((id) =>
      before.items.find((i: { applicationId: string }) => i.applicationId === id),
    );
    expect(notDrawn).toMatchObject({ drawn: false, size: 0, scored: 0, overdue: 0, seats: [] });
    expect(drawn).toMatchObject({ drawn: true, size: 5, scored: 0, overdue: 0 });
    expect(drawn.name).toBe('无锡评审进度测试0有限公司');
    // Officers see who was drawn by name (the pool's), not by id alone.
    for (const seat of drawn.seats as { expertId: string; expertName: string }[])
      expect(seat.expertName).toBe(`专家${seat.expertId.slice('pr-e-'.length)}`);
    // Blind review the other way: the enterprise's own view of the application names no expert.
    const code = creditCode('91320214MA1PR1000');
    const own = await ok('GET', `/v1/applications/${apps[0]}`, {
      sub: `ent-${code}`,
      role: 'enterprise',
      org: code,
    });
    for (const seat of drawn.seats as { expertId: string; expertName: string }[]) {
      expect(JSON.stringify(own)).not.toContain(seat.expertName);
      expect(JSON.stringify(own)).not.toContain(seat.expertId);
    }

    const first = drawn.seats[0].expertId as string;
    await ok('POST', `/v1/applications/${apps[0]}/scores`, { sub: first, role: 'expert' }, { score: 80 });
    await h.settle();
    const after = await ok('GET', `/v1/rounds/${round}/panels`, wuxi);
    const seat = after.items
      .find((i: { applicationId: string }) => i.applicationId === apps[0])
      .seats.find((s: { expertId: string }) => s.expertId === first);
    expect(seat).toMatchObject({ scored: true, overdue: false });
  });

  it('refuses to replace an expert before the deadline, and officers outside the round', async () => {
    const progress = await ok('GET', `/v1/rounds/${round}/panels`, wuxi);
    const seats = progress.items.find((i: { applicationId: string }) => i.applicationId === apps[0]).seats;
    const early = await h.request('POST', `/v1/applications/${apps[0]}/panel/replacements`, {
      as: wuxi,
      body: { expertId: seats[1].expertId },
    });
    expect([early.status, early.body.code]).toEqual([409, 'EXPERT_NOT_OVERDUE']);
    expect(early.body.message).toBe('该专家未超过评分期限，或已评分、已被替换');
    const district = await h.request('POST', `/v1/applications/${apps[0]}/panel/replacements`, {
      as: xinwu,
      body: { expertId: seats[1].expertId },
    });
    expect([district.status, district.body.code]).toEqual([403, 'FORBIDDEN']);
    const other = await h.request('POST', `/v1/applications/${apps[0]}/panel/replacements`, {
      as: suzhou,
      body: { expertId: seats[1].expertId },
    });
    expect(other.status).toBe(404);
    expect((await h.request('GET', `/v1/rounds/${round}/panels`, { as: suzhou })).status).toBe(404);
  });

  it('after the deadline the overdue seats are replaced; replacing one again is refused', async () => {
    const progress = await ok('GET', `/v1/rounds/${round}/panels`, wuxi);
    const drawn = progress.items.find((i: { applicationId: string }) => i.applicationId === apps[0]);
    const late = drawn.seats
      .filter((s: { scored: boolean }) => !s.scored)
      .map((s: { expertId: string }) => s.expertId);
    // The expert-review saga replaces overdue experts by itself when the deadline passes.
    await h.advanceTo(`${drawn.seats[0].dueOn}T17:00:00Z`);
    const after = await ok('GET', `/v1/rounds/${round}/panels`, wuxi);
    const now = after.items.find((i: { applicationId: string }) => i.applicationId === apps[0]);
    expect(now.seats.map((s: { expertId: string }) => s.expertId)).not.toEqual(
      expect.arrayContaining([late[0]]),
    );
    expect(now.overdue).toBe(0);
    const again = await h.request('POST', `/v1/applications/${apps[0]}/panel/replacements`, {
      as: wuxi,
      body: { expertId: late[0] },
    });
    expect([again.status, again.body.code]).toEqual([409, 'EXPERT_NOT_OVERDUE']);
  });
});
