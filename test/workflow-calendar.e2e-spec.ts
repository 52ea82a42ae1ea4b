import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { EngineDriver, officerOf } from '../apps/demo/src/engine-driver';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

/** A fictional 2027 arrangement (chinese-days and calendar/ stop at 2026): a test fixture, not the notice. */
const FICTIONAL_2027 = resolve(__dirname, '../libs/platform/src/calendar/testing/fictional-2027');
const city = officerOf('js.wuxi');
const xinwu = officerOf('js.wuxi.xinwu');
const auditor = { sub: 'auditor-1', role: 'auditor' as const };

/**
 * A year whose holiday arrangement is not installed yet: deadlines counted in it are marked
 * provisional in the events that carry them, a publicity ending in it starts only when an
 * officer confirms, and installing the year's calendar file recomputes every open one through
 * the calendar saga (`DeadlineRecomputed`), the first date staying in the history.
 */
describe('calendar files: provisional deadlines and their recomputation', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-calendar-'));
  let h: Harness;
  let d: EngineDriver;
  let roundId: string;
  let publicised: string;
  let returned: string;

  const roundEvents = async () =>
    (await h.request('GET', `/v1/audit/events?stream=round-${roundId}`, { as: auditor })).body.events;

  afterAll(async () => {
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('marks a deadline counted in 2027 provisional, and refuses a provisional publicity until an officer confirms', async () => {
    h = await startApi({ dataDir, now: '2026-11-02T02:00:00.000Z' });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    await d.registerExperts('cal-expert', 18, 3);
    roundId = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 9,
      title: '跨年批次',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-11-01T00:00:00+08:00',
      closesAt: '2027-09-27T17:00:00+08:00',
    });
    const codes = [1, 2].map((n) => creditCode(`91320214CA${String(n).padStart(7, '0')}`));
    for (const [n, code] of codes.entries()) {
      await d.registerEnterprise({
        creditCode: code,
        name: `日历测试${n + 1}有限公司`,
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      });
    }
    publicised = await d.apply(codes[0], roundId, eagletData());
    await d.passReviews(publicised, 'js.wuxi.xinwu', 'js.wuxi');
    expect(await d.scoreAll(publicised, await d.drawPanel(publicised, 'js.wuxi'), 85)).toBe('passed');
    returned = await d.apply(codes[1], roundId, eagletData(1));

    // 2027-09-20: the default 10-working-day response deadline runs over National Day 2027.
    await h.advanceTo('2027-09-20T02:00:00.000Z');
    const review = await h.request('POST', `/v1/applications/${returned}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'return', reason: '请补充研发费用明细' },
    });
    expect(review.status).toBe(200);
    const history = (await h.request('GET', `/v1/applications/${returned}/history`, { as: auditor })).body;
    const returnedEvent = history.find((e: { type: string }) => e.type === 'ApplicationReturned');
    // Statutory days only: 1-3 October off, no make-up days.
    expect(returnedEvent.data).toMatchObject({ respondBy: '2027-10-05', provisional: true });

    await h.advanceTo('2027-09-28T01:00:00.000Z');
    const refused = await h.request('POST', `/v1/rounds/${roundId}/publicity`, {
      as: city,
      body: {},
      headers: { 'accept-language': 'en' },
    });
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'CALENDAR_PROVISIONAL' },
    });
    expect(refused.body.message).toContain('2027-10-13');
    const confirmed = await h.request('POST', `/v1/rounds/${roundId}/publicity`, {
      as: city,
      body: { confirmProvisional: true },
    });
    expect(confirmed).toMatchObject({
      status: 200,
      body: { publicity: { startsOn: '2027-09-28', endsOn: '2027-10-13', provisional: true } },
    });
    await h.settle();
    const started = (await roundEvents()).find((e: { type: string }) => e.type === 'PublicityStarted');
    expect(started.data).toMatchObject({ provisional: true, confirmedBy: city.sub });
    await h.close();
  }, 60_000);

  it('when the 2027 arrangement is installed, recomputes the open deadlines and moves their timers; the history keeps both dates', async () => {
    h = await startApi({ dataDir, now: '2027-09-28T03:00:00.000Z', env: { CALENDAR_DIR: FICTIONAL_2027 } });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    await h.settle();
    const roundHistory = await roundEvents();
    expect(roundHistory.find((e: { type: string }) => e.type === 'DeadlineRecomputed').data).toMatchObject({
      deadline: 'publicity-end',
      previous: '2027-10-13',
      recomputed: '2027-10-18',
      provisional: false,
      calendar: { year: 2027 },
    });
    expect((await d.round(roundId)).publicity).toMatchObject({ endsOn: '2027-10-18', provisional: false });
    const appHistory = (await h.request('GET', `/v1/applications/${returned}/history`, { as: auditor })).body;
    expect(appHistory.find((e: { type: string }) => e.type === 'DeadlineRecomputed').data).toMatchObject({
      deadline: 'response',
      previous: '2027-10-05',
      recomputed: '2027-10-08', // 26 September is a make-up working day, 1-7 October off
      provisional: false,
    });

    // The old response deadline passes: the application stays returned until the new one has.
    await h.advanceTo('2027-10-06T02:00:00.000Z');
    expect(await d.status(returned)).toBe('returned');
    await h.advanceTo('2027-10-08T16:00:00.000Z');
    expect(await d.status(returned)).toBe('withdrawn');
    // The old end of publicity (13 October) passes: it runs on until the recomputed one has.
    await h.advanceTo('2027-10-14T02:00:00.000Z');
    expect(await d.status(publicised)).toBe('in-publicity');
    await h.advanceTo('2027-10-18T16:00:00.000Z');
    expect(await d.status(publicised)).toBe('admitted');

    // Booting again with the same file records nothing new.
    await h.close();
    h = await startApi({ dataDir, now: '2027-10-19T03:00:00.000Z', env: { CALENDAR_DIR: FICTIONAL_2027 } });
    await h.settle();
    const installs = (
      await h.request('GET', '/v1/audit/events?type=CalendarArrangementInstalled', { as: auditor })
    ).body;
    expect(installs.events).toHaveLength(1);
    expect(installs.events[0]).toMatchObject({ stream: 'calendar-2027' });
  }, 60_000);
});
