import { ReadModelDatabase } from '../database';
import { applicationsProjection } from '../projections/applications.projection';
import { enterprisesProjection } from '../projections/enterprises.projection';
import { EventLog, project } from '../testing/event-log.testing';
import { decodeCursor, encodeCursor, InvalidCursorError, queryWorklist } from './worklist.query';

/**
 * Round r1 is issued by js.wuxi, r2 by js.suzhou. Applications in Xinwu and Liangxi (Wuxi
 * districts) and one Suzhou enterprise in the Wuxi round.
 */
describe('worklist query', () => {
  let db: ReadModelDatabase;
  const log = new EventLog();
  let minute = 0;
  const at = () => new Date(Date.UTC(2026, 2, 2, 2, minute++)).toISOString();
  const open = (id: string, jurisdiction: string, roundId = 'r1', programme = 'eaglet') => {
    log.now = at();
    log.application(id, {
      roundId,
      creditCode: `code-${id}`,
      jurisdiction,
      roundJurisdiction: roundId === 'r1' ? 'js.wuxi' : 'js.suzhou',
      programme,
    });
    log.now = at();
    log.submit(id);
  };

  beforeAll(async () => {
    db = await ReadModelDatabase.open({ dialect: 'sqlite', file: ':memory:' });
    open('x-district', 'js.wuxi.xinwu');
    open('l-district', 'js.wuxi.liangxi');
    open('x-city', 'js.wuxi.xinwu', 'r1', 'gazelle');
    log.now = at();
    log.review('x-city', 'district', 'recommend');
    open('x-draft-only', 'js.wuxi.xinwu');
    log.now = at();
    log.review('x-draft-only', 'district', 'return');
    open('s-in-wuxi-round', 'js.suzhou.sip');
    open('s-city', 'js.suzhou.sip', 'r2');
    log.now = at();
    log.review('s-city', 'district', 'recommend');
    // Many more in Xinwu, for paging.
    for (let i = 0; i < 25; i++) open(`x-${String(i).padStart(2, '0')}`, 'js.wuxi.xinwu');
    await project(db, applicationsProjection, log.events);
    // The worklist names enterprises from their projection (none registered here: names are null).
    await project(db, enterprisesProjection, []);
  });
  afterAll(async () => {
    await db.close();
  });

  const ids = async (jurisdiction: string, extra: Partial<Parameters<typeof queryWorklist>[1]> = {}) =>
    (await queryWorklist(db.reader, { jurisdiction, limit: 100, ...extra })).items.map(
      (i) => i.applicationId,
    );

  it('shows a district officer the district stage of their own district only', async () => {
    const xinwu = await ids('js.wuxi.xinwu');
    expect(xinwu).toContain('x-district');
    expect(xinwu).not.toContain('l-district');
    expect(xinwu).not.toContain('x-city'); // awaits the city
    expect(xinwu).not.toContain('x-draft-only'); // returned: awaits the enterprise
    expect(await ids('js.wuxi.liangxi')).toEqual(['l-district']);
  });

  it('shows a city officer the district stages below them and the city stage of their rounds', async () => {
    const wuxi = await ids('js.wuxi');
    expect(wuxi).toEqual(expect.arrayContaining(['x-district', 'l-district', 'x-city']));
    expect(wuxi).not.toContain('s-in-wuxi-round'); // a Suzhou enterprise: not theirs to see
    expect(wuxi).not.toContain('s-city');
    expect(await ids('js.suzhou')).toEqual(['s-in-wuxi-round', 's-city']);
    expect(await ids('js.suzhou.sip')).toEqual(['s-in-wuxi-round']);
    expect(await ids('js.wux')).toEqual([]); // a prefix of a name is not a parent
  });

  it('filters by programme, round and status, oldest status first', async () => {
    expect(await ids('js.wuxi', { programme: 'gazelle' })).toEqual(['x-city']);
    expect(await ids('js', { roundId: 'r2' })).toEqual(['s-city']);
    expect(await ids('js.wuxi', { status: 'recommended' })).toEqual(['x-city']);
    const page = await queryWorklist(db.reader, { jurisdiction: 'js.wuxi', limit: 100 });
    const since = page.items.map((i) => i.since);
    expect(since).toEqual([...since].sort());
    expect(page.items.find((i) => i.applicationId === 'x-city')).toMatchObject({
      creditCode: 'code-x-city',
      programme: 'gazelle',
      status: 'recommended',
      awaiting: 'city',
    });
  });

  it("merges the city's and its districts' stages in one order across pages", async () => {
    // Three acting jurisdictions (js.wuxi's city stage, Xinwu's and Liangxi's district stage),
    // each read as its own range and merged: small pages still come out oldest first.
    const all = await queryWorklist(db.reader, { jurisdiction: 'js.wuxi', limit: 100 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryWorklist(db.reader, { jurisdiction: 'js.wuxi', limit: 3, cursor });
      seen.push(...page.items.map((i) => i.applicationId));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => i.applicationId));
    expect(new Set(all.items.map((i) => i.awaiting))).toEqual(new Set(['district', 'city']));
    // A filter that matches none of the officer's items: an empty page, no next.
    expect(
      await queryWorklist(db.reader, { jurisdiction: 'js.wuxi.liangxi', status: 'recommended', limit: 3 }),
    ).toEqual({
      items: [],
      next: null,
    });
  });

  it('pages with an opaque cursor, never repeating or skipping', async () => {
    const all = await ids('js.wuxi.xinwu');
    expect(all).toHaveLength(26);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queryWorklist(db.reader, { jurisdiction: 'js.wuxi.xinwu', limit: 7, cursor });
      seen.push(...page.items.map((i) => i.applicationId));
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(all);
    expect(decodeCursor(encodeCursor('2026-03-02T02:00:00.000Z', 'a'))).toEqual({
      since: '2026-03-02T02:00:00.000Z',
      id: 'a',
    });
    expect(() => decodeCursor('not-a-cursor')).toThrow(InvalidCursorError);
  });
});
