import { EventStore } from '@engine/event-store';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { type Harness, startApi } from './support/api-harness';
import { Kit, SETUP_OFFICER } from './permissions/scenarios';

/**
 * Review integrity and data defects found by an outside probe (issue 17): each case failed
 * before its fix. Hostile bodies and the fuzz are in abuse.e2e-spec.ts.
 */
describe('review integrity', () => {
  let h: Harness;
  let kit: Kit;

  beforeAll(async () => {
    h = await startApi({ env: { RATE_LIMIT_STRICT_MAX: '100000' } });
    kit = new Kit(h);
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  it("shows an expert on the panel only the policy's fields: no identity, founding date or revenue", async () => {
    const f = await kit.underPanelReview();
    const panel = await h.request('GET', `/v1/applications/${f.submittedId}`, { as: SETUP_OFFICER });
    const expert = { sub: panel.body.panel[1].expertId as string, role: 'expert' as const };
    const res = await h.request('GET', `/v1/applications/${f.submittedId}`, { as: expert });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(f.code);
    expect(text).not.toContain('2019-05-20'); // founding date
    expect(text).not.toContain('"revenue"');
    expect(text).not.toContain('无锡权限矩阵');
    expect(res.body.data.financials[0]).toEqual({ year: expect.any(Number), rdExpense: expect.any(Number) });
    // The eligibility verdicts stay; the figures behind them (age, revenue) do not.
    expect(res.body.eligibility.checks.every((c: object) => !('actual' in c))).toBe(true);
    expect(res.body.seat).toMatchObject({ scored: false });
  }, 60_000);

  it('keeps one application per enterprise and round: 50 concurrent creates give one, the rest 409 with its id', async () => {
    const { code, owner } = await kit.registerEnterprise();
    const roundId = await kit.openRound();
    const store = h.app.get(EventStore);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.request('POST', '/v1/applications', {
          as: owner,
          body: { roundId, creditCode: code, data: eagletData(i) },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set([409]));
    for (const r of refused) {
      expect(r.body).toMatchObject({ code: 'APPLICATION_EXISTS', existingId: created[0].body.id });
    }
    const enterprise = await h.request('GET', `/v1/enterprises/${code}`, { as: owner });
    expect(
      enterprise.body.applications.filter((a: { roundId: string }) => a.roundId === roundId),
    ).toHaveLength(1);
    const events = await store.readStream(`application-${created[0].body.id}`);
    expect(events.filter((e) => e.type === 'ApplicationCreated')).toHaveLength(1);
  }, 60_000);

  it('creates a round once: the same programme, jurisdiction, year and batch again is 409 with its id', async () => {
    const body = {
      programme: 'quasi-unicorn',
      year: 2026,
      batch: 7,
      title: '重复批次',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    };
    const [a, b] = await Promise.all([
      h.request('POST', '/v1/rounds', { as: SETUP_OFFICER, body }),
      h.request('POST', '/v1/rounds', { as: SETUP_OFFICER, body: { ...body, title: '另一标题' } }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const [won, lost] = a.status === 201 ? [a, b] : [b, a];
    expect(lost.body).toMatchObject({ code: 'ROUND_EXISTS', existingId: won.body.id });
  });
});
