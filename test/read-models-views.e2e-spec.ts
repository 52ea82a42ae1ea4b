import { eagletData } from '@engine/incubation/testing/sample-applications';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const liangxi = { sub: 'officer-liangxi', role: 'officer' as const, jurisdiction: 'js.wuxi.liangxi' };
const suzhou = { sub: 'officer-suzhou', role: 'officer' as const, jurisdiction: 'js.suzhou' };
const auditor = { sub: 'auditor-1', role: 'auditor' as const };

/** Views built by projections: an enterprise's timeline and a round's statistics. */
describe('read-model views over HTTP', () => {
  let h: Harness;
  let roundId: string;
  let applicationId: string;
  const code = creditCode('91320214MA1TL0001');
  const owner = { sub: `ent-${code}`, role: 'enterprise' as const, org: code };

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    await h.request('POST', '/v1/enterprises', {
      as: owner,
      body: {
        creditCode: code,
        name: '无锡时间线测试有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '统计批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    roundId = round.body.id;
    h.clock.advance(3600_000);
    const created = await h.request('POST', '/v1/applications', {
      as: owner,
      body: { roundId, creditCode: code, data: eagletData() },
    });
    applicationId = created.body.id;
    // A second enterprise's draft (one application per enterprise and round).
    const second = creditCode('91320214MA1TL0002');
    const secondOwner = { sub: `ent-${second}`, role: 'enterprise' as const, org: second };
    await h.request('POST', '/v1/enterprises', {
      as: secondOwner,
      body: {
        creditCode: second,
        name: '无锡时间线测试二有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    const draft = await h.request('POST', '/v1/applications', {
      as: secondOwner,
      body: { roundId, creditCode: second, data: eagletData(1) },
    });
    expect(draft.status).toBe(201);
    h.clock.advance(3600_000);
    await h.request('POST', `/v1/applications/${applicationId}/submit`, { as: owner });
    h.clock.advance(3600_000);
    const returned = await h.request('POST', `/v1/applications/${applicationId}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'return', reason: '请补充研发费用明细', respondBy: '2026-03-16' },
    });
    expect(returned.status).toBe(200);
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  it('shows an enterprise its timeline, newest first, beside the contract fields', async () => {
    const res = await h.request('GET', `/v1/enterprises/${code}`, { as: owner });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ creditCode: code, applications: expect.any(Array), memberships: [] });
    const timeline = res.body.timeline as {
      at: string;
      type: string;
      applicationId?: string;
      roundId?: string;
      summary: string;
    }[];
    expect(timeline.map((e) => e.type)).toEqual([
      'ApplicationReturned',
      'ApplicationSubmitted',
      // The four files eaglet 2024 requires, attached before submit (newest first).
      'MaterialAttached',
      'MaterialAttached',
      'MaterialAttached',
      'MaterialAttached',
      'ApplicationCreated',
      'EnterpriseRegistered',
    ]);
    expect(timeline[0]).toEqual({
      at: expect.any(String),
      type: 'ApplicationReturned',
      applicationId,
      roundId,
      respondBy: '2026-03-16',
      summary: '区级初审退回补充材料，请于 2026-03-16 前答复：请补充研发费用明细',
    });
    const at = timeline.map((e) => e.at);
    expect(at).toEqual([...at].sort().reverse());
  });

  it('counts a round by status and district for officers over it and auditors', async () => {
    const expected = {
      roundId,
      total: 2,
      byStatus: { draft: 1, returned: 1 },
      byDistrict: [{ jurisdiction: 'js.wuxi.xinwu', total: 2, byStatus: { draft: 1, returned: 1 } }],
    };
    for (const caller of [city, xinwu, auditor]) {
      const res = await h.request('GET', `/v1/rounds/${roundId}/stats`, { as: caller });
      expect([caller.sub, res.status, res.body]).toEqual([caller.sub, 200, expected]);
    }
    // An officer below the issuing jurisdiction sees their own part only.
    const other = await h.request('GET', `/v1/rounds/${roundId}/stats`, { as: liangxi });
    expect(other.body).toEqual({ roundId, total: 0, byStatus: {}, byDistrict: [] });
  });

  it('answers 404 for an unknown round or one out of reach, 400 for a malformed id', async () => {
    expect((await h.request('GET', `/v1/rounds/${roundId}/stats`, { as: suzhou })).status).toBe(404);
    const unknown = await h.request('GET', '/v1/rounds/3f0c2a51-8f8e-4c9e-b1a2-0d0e0f101112/stats', {
      as: auditor,
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ROUND_NOT_FOUND']);
    expect((await h.request('GET', '/v1/rounds/not-a-uuid/stats', { as: auditor })).status).toBe(400);
  });
});
