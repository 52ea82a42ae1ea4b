import { eagletData } from '@engine/incubation/testing/sample-applications';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const admin = { sub: 'admin-1', role: 'admin' as const };
const enterpriseOf = (code: string) => ({ sub: `ent-${code}`, role: 'enterprise' as const, org: code });

/**
 * A returned application must be resubmitted by its response deadline; the deadlines saga
 * withdraws it when the deadline passes (a durable timer), and leaves it alone when the
 * enterprise answered in time (the timer is cancelled and stays cancelled).
 */
describe('response deadlines (deadlines saga, durable timers)', () => {
  let h: Harness;
  let roundId: string;
  let serial = 0;

  async function returnedApplication(respondBy: string) {
    const code = creditCode(`91320214MD${String(++serial).padStart(7, '0')}`);
    const as = enterpriseOf(code);
    expect(
      (
        await h.request('POST', '/v1/enterprises', {
          as,
          body: {
            creditCode: code,
            name: `期限测试${serial}有限公司`,
            jurisdiction: 'js.wuxi.xinwu',
            establishedOn: '2019-05-20',
          },
        })
      ).status,
    ).toBe(201);
    const created = await h.request('POST', '/v1/applications', {
      as,
      body: { roundId, creditCode: code, data: eagletData() },
    });
    const id = created.body.id as string;
    expect((await h.request('POST', `/v1/applications/${id}/submit`, { as })).status).toBe(200);
    const review = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'return', reason: '请补充研发费用明细', respondBy },
    });
    expect(review.body).toMatchObject({ status: 'returned' });
    return { id, as };
  }

  const statusOf = async (id: string) =>
    (await h.request('GET', `/v1/applications/${id}`, { as: city })).body.status;

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '2026年度无锡市雏鹰企业第一批入库申报',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    roundId = round.body.id;
  }, 60_000);
  afterAll(() => h.close());

  it('withdraws an application not resubmitted by its deadline, at the end of that day (China time)', async () => {
    const { id } = await returnedApplication('2026-03-10');
    await h.advanceTo('2026-03-10T15:59:59.000Z'); // 23:59:59 on the 10th in China
    expect(await statusOf(id)).toBe('returned');
    await h.advanceTo('2026-03-10T16:00:00.000Z');
    expect(await statusOf(id)).toBe('withdrawn');
    const history = (await h.request('GET', `/v1/applications/${id}/history`, { as: city })).body;
    const withdrawn = history.filter((e: { type: string }) => e.type === 'ApplicationWithdrawn');
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0].actor).toEqual({ sub: 'saga:deadlines', role: 'system' });
  });

  it('leaves an application resubmitted in time alone, its timer cancelled for good', async () => {
    h.clock.set(new Date('2026-03-12T02:00:00.000Z'));
    const { id, as } = await returnedApplication('2026-03-20');
    expect((await h.request('POST', `/v1/applications/${id}/submit`, { as })).status).toBe(200);
    await h.advanceTo('2026-03-25T02:00:00.000Z');
    expect(await statusOf(id)).toBe('submitted');
  });

  it('moves the clock through the admin endpoint under CLOCK=manual, and only for admins', async () => {
    const { id } = await returnedApplication('2026-03-27');
    expect(
      (await h.request('POST', '/v1/admin/clock', { as: city, body: { now: '2026-03-28T02:00:00Z' } }))
        .status,
    ).toBe(403);
    expect(
      (await h.request('POST', '/v1/admin/clock', { as: admin, body: { now: 'tomorrow' } })).status,
    ).toBe(400);
    const res = await h.request('POST', '/v1/admin/clock', {
      as: admin,
      body: { now: '2026-03-28T02:00:00Z' },
    });
    expect(res).toMatchObject({ status: 200, body: { now: '2026-03-28T02:00:00.000Z' } });
    await h.settle();
    expect(await statusOf(id)).toBe('withdrawn');
  });

  it('counts pending and due timers and parked events in /metrics', async () => {
    await returnedApplication('2026-04-10');
    await h.settle();
    const metrics = (await h.request('GET', '/metrics')).body as string;
    const value = (name: string) => Number(new RegExp(`\\n${name} (\\d+)\\n`).exec(metrics)?.[1]);
    expect(value('engine_timers_scheduled')).toBeGreaterThanOrEqual(1);
    expect(value('engine_timers_due')).toBe(0);
    expect(value('engine_processor_parked_events')).toBe(0);
  });
});
