import { type Harness, startApi } from './support/api-harness';

/** The console counts working days from the engine's day, which a manual clock moves. */
describe('GET /v1/calendar/today', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({ now: '2026-04-30T15:59:00.000Z' });
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  it("answers the engine's instant and its day in China, and follows the engine's clock", async () => {
    const officer = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
    expect((await h.request('GET', '/v1/calendar/today', { as: officer })).body).toEqual({
      now: '2026-04-30T15:59:00.000Z',
      today: '2026-04-30',
    });
    // Two minutes later it is already 1 May in China (UTC+8), whatever the browser's clock says.
    h.clock.set(new Date('2026-04-30T16:01:00.000Z'));
    const expert = { sub: 'expert-1', role: 'expert' as const };
    expect((await h.request('GET', '/v1/calendar/today', { as: expert })).body).toEqual({
      now: '2026-04-30T16:01:00.000Z',
      today: '2026-05-01',
    });
    expect((await h.request('GET', '/v1/calendar/today')).status).toBe(401);
  });
});
