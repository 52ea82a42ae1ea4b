import type { ReadModelDatabase } from '../database';
import { applicationsProjection } from '../projections/applications.projection';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { EventLog, project } from '../testing/event-log.testing';
import { queryRoundApplicants } from './memberships.query';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Screening asks which of a register's candidates applied to a round (GET /v1/rounds/:id/screening):
 * set-based over the applications read model, never by loading the round's applications.
 */
describe.each(['sqlite', 'postgres'] as const)('applicants of a round on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  const code = (n: number) => `91320214MA${String(n).padStart(8, '0')}`;
  beforeAll(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    const log = new EventLog();
    const apply = (id: string, roundId: string, creditCode: string) =>
      log.application(id, {
        roundId,
        creditCode,
        jurisdiction: 'js.wuxi.xinwu',
        roundJurisdiction: 'js.wuxi',
      });
    // A draft, a submission, and 700 more applicants: more codes than one query asks about.
    apply('draft', 'r1', code(1));
    apply('submitted', 'r1', code(2));
    log.submit('submitted');
    for (let n = 10; n < 710; n++) apply(`a${n}`, 'r1', code(n));
    // Another round's applicant has not applied to r1.
    apply('elsewhere', 'r2', code(3));
    await project(db, applicationsProjection, log.events);
  });
  afterAll(async () => {
    await models.dispose();
  });

  it('answers which of the codes applied, a draft included, and not to another round', async () => {
    const applied = await queryRoundApplicants(db.reader, 'r1', [code(1), code(2), code(3), code(4)]);
    expect([...applied].sort()).toEqual([code(1), code(2)]);
  });

  it('asks in chunks: a thousand codes, 700 of them applicants', async () => {
    const asked = Array.from({ length: 1000 }, (_, n) => code(n + 10));
    const applied = await queryRoundApplicants(db.reader, 'r1', asked);
    expect(applied.size).toBe(700);
    expect(applied.has(code(709))).toBe(true);
    expect(applied.has(code(710))).toBe(false);
    expect((await queryRoundApplicants(db.reader, 'r1', [])).size).toBe(0);
  });
});
