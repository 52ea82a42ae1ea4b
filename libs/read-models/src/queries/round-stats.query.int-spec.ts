import type { ReadModelDatabase } from '../database';
import { applicationsProjection } from '../projections/applications.projection';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { EventLog, project } from '../testing/event-log.testing';
import { queryRoundStats } from './round-stats.query';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Counting and the jurisdiction prefix are dialect-sensitive: both dialects, same answers. */
describe.each(['sqlite', 'postgres'] as const)('round statistics on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  beforeAll(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    const log = new EventLog();
    const open = (id: string, jurisdiction: string, roundId = 'r1') =>
      log.application(id, { roundId, creditCode: `c-${id}`, jurisdiction, roundJurisdiction: 'js.wuxi' });
    open('x1', 'js.wuxi.xinwu');
    open('x2', 'js.wuxi.xinwu');
    log.submit('x2');
    open('x3', 'js.wuxi.xinwu');
    log.submit('x3');
    log.review('x3', 'district', 'recommend');
    open('l1', 'js.wuxi.liangxi');
    log.submit('l1');
    open('l2', 'js.wuxi.liangxi');
    log.submit('l2');
    log.review('l2', 'district', 'reject');
    open('xx1', 'js.wuxi.xinwux'); // a sibling whose name starts like Xinwu's
    open('other-round', 'js.wuxi.xinwu', 'r2');
    await project(db, applicationsProjection, log.events);
  });
  afterAll(async () => {
    await models.dispose();
  });

  it('counts a round by status, overall and per district', async () => {
    expect(await queryRoundStats(db.reader, 'r1')).toEqual({
      roundId: 'r1',
      total: 6,
      byStatus: { draft: 2, submitted: 2, recommended: 1, rejected: 1 },
      byDistrict: [
        { jurisdiction: 'js.wuxi.liangxi', total: 2, byStatus: { submitted: 1, rejected: 1 } },
        { jurisdiction: 'js.wuxi.xinwu', total: 3, byStatus: { draft: 1, submitted: 1, recommended: 1 } },
        { jurisdiction: 'js.wuxi.xinwux', total: 1, byStatus: { draft: 1 } },
      ],
    });
  });

  it('limits the counts to a jurisdiction and what lies below it', async () => {
    const xinwu = await queryRoundStats(db.reader, 'r1', 'js.wuxi.xinwu');
    expect(xinwu.total).toBe(3);
    expect(xinwu.byDistrict.map((d) => d.jurisdiction)).toEqual(['js.wuxi.xinwu']);
    expect((await queryRoundStats(db.reader, 'r1', 'js.wuxi')).total).toBe(6);
  });

  it('answers zeros for a round without applications', async () => {
    expect(await queryRoundStats(db.reader, 'nothing')).toEqual({
      roundId: 'nothing',
      total: 0,
      byStatus: {},
      byDistrict: [],
    });
  });
});
