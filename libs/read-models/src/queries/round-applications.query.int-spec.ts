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
