import type { ReadModelDatabase } from '../database';
import { applicationsProjection } from '../projections/applications.projection';
import { enterprisesProjection } from '../projections/enterprises.projection';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { EventLog, project } from '../testing/event-log.testing';
import { queryRoundApplicationsPage } from './round-applications.query';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Scores are stored as shown ("70.2", "≈ 70.33"); the round table sorts them as numbers. */
describe.each(['sqlite', 'postgres'] as const)('round table sorted by score on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  beforeAll(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    const log = new EventLog();
    const scored = (id: string, mean: string) => {
      log.application(id, {
        roundId: 'r1',
        creditCode: `c-${id}`,
        jurisdiction: 'js.wuxi.xinwu',
        roundJurisdiction: 'js.wuxi',
      });
      log.submit(id);
      log.review(id, 'district', 'recommend');
      log.review(id, 'city', 'recommend');
      log.add(`application-${id}`, 'ExpertReviewConcluded', {
        mean,
        required: '60',
        passed: Number(mean.replace('≈ ', '')) >= 60,
        next: null,
      });
    };
    scored('nine', '9.5');
    scored('eighty-five', '85');
    scored('seventy', '≈ 70.33');
    scored('hundred', '100');
    scored('seventy-low', '70.2');
    await project(db, applicationsProjection, log.events);
    await project(db, enterprisesProjection, []);
  });
  afterAll(async () => {
    await models.dispose();
  });

  const order = async (sort: 'score' | '-score') =>
    (await queryRoundApplicationsPage(db.reader, { roundId: 'r1', sort, limit: 10 })).items.map(
      (i) => i.score,
    );

  it('orders scores by their value, ascending and descending', async () => {
    expect(await order('score')).toEqual(['9.5', '70.2', '≈ 70.33', '85', '100']);
    expect(await order('-score')).toEqual(['100', '85', '≈ 70.33', '70.2', '9.5']);
  });
});

/**
 * Names come from the enterprises projection. The round table joins it only to search or sort
 * by name; otherwise the page's names are looked up afterwards (bench:scale: joining for every
 * row made the total of a large round cost one enterprise lookup per application).
 */
describe.each(['sqlite', 'postgres'] as const)('round table names and totals on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  beforeAll(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    const log = new EventLog();
    const names = ['无锡华芯微电子有限公司', '江苏恒达新材料股份有限公司', '新吴博远智能科技有限公司'];
    names.forEach((name, i) => log.enterprise(`91320214MA0000000${i}`, 'js.wuxi.xinwu', name));
    for (let i = 0; i < 4; i++) {
      // The fourth enterprise has no record (yet): its row shows no name.
      log.application(`app-${i}`, {
        roundId: 'r1',
        creditCode: `91320214MA0000000${i}`,
        jurisdiction: i === 1 ? 'js.wuxi.liangxi' : 'js.wuxi.xinwu',
        roundJurisdiction: 'js.wuxi',
      });
    }
    log.application('other', {
      roundId: 'r2',
      creditCode: '91320214MA00000000',
      jurisdiction: 'js.wuxi.xinwu',
      roundJurisdiction: 'js.wuxi',
    });
    await project(db, applicationsProjection, log.events);
    await project(db, enterprisesProjection, log.events);
  });
  afterAll(async () => {
    await models.dispose();
  });

  const page = (query: Partial<Parameters<typeof queryRoundApplicationsPage>[1]>) =>
    queryRoundApplicationsPage(db.reader, { roundId: 'r1', sort: 'created', limit: 2, ...query });

  it('gives each row of a page its name without joining, and counts the whole round', async () => {
    const first = await page({});
    expect(first.items.map((i) => [i.applicationId, i.name])).toEqual([
      ['app-0', '无锡华芯微电子有限公司'],
      ['app-1', '江苏恒达新材料股份有限公司'],
    ]);
    expect(first.total).toBe(4);
    const second = await page({ cursor: first.next! });
    expect(second.items.map((i) => [i.applicationId, i.name])).toEqual([
      ['app-2', '新吴博远智能科技有限公司'],
      ['app-3', null],
    ]);
    expect((await page({ within: 'js.wuxi.xinwu' })).total).toBe(3);
  });

  it('searches and sorts by name, counting only the matches', async () => {
    const found = await page({ q: '新材料' });
    expect(found.items.map((i) => i.name)).toEqual(['江苏恒达新材料股份有限公司']);
    expect(found.total).toBe(1);
    // The collation is the database's: ascending is descending reversed, every name once.
    const named = async (sort: 'name' | '-name') =>
      (await page({ sort, limit: 4 })).items.map((i) => i.name).filter((n) => n !== null);
    const ascending = await named('name');
    expect([...ascending].sort()).toEqual(
      ['无锡华芯微电子有限公司', '江苏恒达新材料股份有限公司', '新吴博远智能科技有限公司'].sort(),
    );
    expect(await named('-name')).toEqual([...ascending].reverse());
    expect((await page({ sort: 'name' })).total).toBe(4);
  });
});
