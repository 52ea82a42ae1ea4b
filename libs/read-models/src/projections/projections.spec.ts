import { ReadModelDatabase } from '../database';
import { activeGeneration } from '../generations';
import { queryEnterpriseApplications } from '../queries/enterprise-applications.query';
import { applyToGeneration } from '../runner/apply';
import { EventLog, project } from '../testing/event-log.testing';
import { applicationsProjection } from './applications.projection';
import { enterprisesProjection } from './enterprises.projection';
import { roundsProjection } from './rounds.projection';

describe('projections: given events, then rows', () => {
  let db: ReadModelDatabase;
  let log: EventLog;
  beforeEach(async () => {
    db = await ReadModelDatabase.open({ dialect: 'sqlite', file: ':memory:' });
    log = new EventLog();
  });
  afterEach(async () => {
    await db.close();
  });

  const application = (id: string) =>
    db.reader
      .selectFrom('applications')
      .selectAll()
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow();
  const opened = (id: string, jurisdiction = 'js.wuxi.xinwu') =>
    log.application(id, {
      roundId: 'r1',
      creditCode: '91320214MA1XK00011',
      jurisdiction,
      roundJurisdiction: 'js.wuxi',
    });

  it('an application opened and submitted awaits the district stage of its own jurisdiction', async () => {
    log.enterprise('91320214MA1XK00011', 'js.wuxi.xinwu', '无锡华芯微电子有限公司');
    const created = opened('a1');
    log.now = '2026-03-03T01:00:00.000Z';
    log.add('application-a1', 'ApplicationDataUpdated', { data: { employees: 13 } });
    log.now = '2026-03-04T01:00:00.000Z';
    const submitted = log.submit('a1');
    await project(db, applicationsProjection, log.events);
    expect(await application('a1')).toEqual({
      application_id: 'a1',
      programme: 'eaglet',
      round_id: 'r1',
      credit_code: '91320214MA1XK00011',
      jurisdiction: 'js.wuxi.xinwu',
      round_jurisdiction: 'js.wuxi',
      policy_version: 'eaglet/wuxi-2024',
      status: 'submitted',
      awaiting: 'district',
      action_jurisdiction: 'js.wuxi.xinwu',
      returned_stage: null,
      return_reason: null,
      respond_by: null,
      eligible: 1,
      score: null,
      score_value: null,
      status_since: '2026-03-04T01:00:00.000Z',
      enterprise_name: '无锡华芯微电子有限公司',
      created_at: '2026-03-02T02:00:00.000Z',
      created_position: created.position,
      revision: 2,
      last_position: submitted.position,
    });
    expect((await activeGeneration(db.reader, 'applications'))?.position).toBe(submitted.position);
  });

  it("a row takes its enterprise's name from a registration projected in an earlier page", async () => {
    log.enterprise('91320214MA1XK00011', 'js.wuxi.xinwu', '江苏恒达新材料股份有限公司');
    log.enterprise('91320214MA1XK00022', 'js.wuxi.xinwu', '新吴博远智能科技有限公司');
    await project(db, applicationsProjection, log.events.splice(0));
    opened('a1');
    log.add('application-a1', 'ApplicationDataUpdated', { data: { employees: 14 } });
    await project(db, applicationsProjection, log.events.splice(0));
    expect(await application('a1')).toMatchObject({ enterprise_name: '江苏恒达新材料股份有限公司' });
  });

  it('a data update changes the revision but not the status or its date', async () => {
    opened('a1');
    await project(db, applicationsProjection, log.events.splice(0));
    log.now = '2026-03-05T00:00:00.000Z';
    log.add('application-a1', 'ApplicationDataUpdated', { data: { employees: 14 } });
    await project(db, applicationsProjection, log.events);
    expect(await application('a1')).toMatchObject({
      status: 'draft',
      status_since: '2026-03-02T02:00:00.000Z',
      revision: 1,
      awaiting: null,
      action_jurisdiction: null,
    });
  });

  it('recommended by the district, it awaits the city stage of the round’s jurisdiction', async () => {
    opened('a1');
    log.submit('a1');
    log.now = '2026-03-06T00:00:00.000Z';
    log.review('a1', 'district', 'recommend');
    await project(db, applicationsProjection, log.events);
    expect(await application('a1')).toMatchObject({
      status: 'recommended',
      awaiting: 'city',
      action_jurisdiction: 'js.wuxi',
      status_since: '2026-03-06T00:00:00.000Z',
    });
  });

  it('returned by the city, it waits for the enterprise; resubmitted, it goes back to the city', async () => {
    opened('a1');
    log.submit('a1');
    log.review('a1', 'district', 'recommend');
    log.review('a1', 'city', 'return', '2026-03-20');
    await project(db, applicationsProjection, log.events.splice(0));
    expect(await application('a1')).toMatchObject({
      status: 'returned',
      awaiting: null,
      action_jurisdiction: null,
      returned_stage: 'city',
      return_reason: '补充材料',
      respond_by: '2026-03-20',
    });
    log.now = '2026-03-10T00:00:00.000Z';
    log.submit('a1', true);
    await project(db, applicationsProjection, log.events);
    expect(await application('a1')).toMatchObject({
      status: 'submitted',
      awaiting: 'city',
      action_jurisdiction: 'js.wuxi',
      returned_stage: null,
      respond_by: null,
      status_since: '2026-03-10T00:00:00.000Z',
    });
  });

  it('accepted for expert review, rejected or withdrawn, it awaits no officer', async () => {
    for (const [id, tail] of [
      ['a1', () => (log.review('a1', 'district', 'recommend'), log.review('a1', 'city', 'recommend'))],
      ['a2', () => log.review('a2', 'district', 'reject')],
      [
        'a3',
        () => (
          log.review('a3', 'district', 'return'),
          log.add('application-a3', 'ApplicationWithdrawn', { reason: 'no response' })
        ),
      ],
    ] as const) {
      opened(id);
      log.submit(id);
      tail();
    }
    await project(db, applicationsProjection, log.events);
    const rows = await db.reader
      .selectFrom('applications')
      .select(['application_id', 'status', 'awaiting', 'action_jurisdiction'])
      .orderBy('application_id')
      .execute();
    expect(rows).toEqual([
      { application_id: 'a1', status: 'in-expert-review', awaiting: null, action_jurisdiction: null },
      { application_id: 'a2', status: 'rejected', awaiting: null, action_jurisdiction: null },
      { application_id: 'a3', status: 'withdrawn', awaiting: null, action_jurisdiction: null },
    ]);
  });

  it('folding a page at once gives the same rows as one event at a time, and an event seen twice changes nothing', async () => {
    const other = await ReadModelDatabase.open({ dialect: 'sqlite', file: ':memory:' });
    try {
      for (let i = 0; i < 20; i++) {
        opened(`a${i}`, i % 2 ? 'js.wuxi.xinwu' : 'js.wuxi.liangxi');
        if (i % 3) log.submit(`a${i}`);
        if (i % 3 === 2) log.review(`a${i}`, 'district', i % 4 ? 'recommend' : 'return');
      }
      await project(db, applicationsProjection, log.events);
      for (const event of log.events) await project(other, applicationsProjection, [event]);
      // A redelivered event (at-least-once) is recognised by its revision.
      const generation = (await activeGeneration(other.writer, 'applications'))!;
      await other.writer.transaction().execute(async (trx) => {
        await applyToGeneration(trx, applicationsProjection, generation.generation, log.events.slice(0, 10));
      });
      const all = (d: ReadModelDatabase) =>
        d.reader.selectFrom('applications').selectAll().orderBy('application_id').execute();
      expect(await all(other)).toEqual(await all(db));
    } finally {
      await other.close();
    }
  });

  it('refuses (and so never skips) an event for an application that was never created', async () => {
    log.add('application-ghost', 'ApplicationSubmitted', {
      data: {},
      eligibility: {},
      policyVersion: 'x',
      resubmission: false,
    });
    await expect(project(db, applicationsProjection, log.events)).rejects.toThrow(/never created/);
    // Nothing committed: neither rows nor the checkpoint moved.
    expect((await activeGeneration(db.reader, 'applications'))?.position).toBe(0);
  });

  it('lists an enterprise’s applications in the order they were opened', async () => {
    opened('b');
    opened('a');
    log.application('c', {
      roundId: 'r2',
      creditCode: '91320213MA1LA00021',
      jurisdiction: 'js.wuxi.liangxi',
      roundJurisdiction: 'js.wuxi',
    });
    log.submit('a');
    await project(db, applicationsProjection, log.events);
    expect(await queryEnterpriseApplications(db.reader, '91320214MA1XK00011')).toEqual([
      { id: 'b', programme: 'eaglet', roundId: 'r1', status: 'draft' },
      { id: 'a', programme: 'eaglet', roundId: 'r1', status: 'submitted' },
    ]);
  });

  it('enterprises: one row per registration', async () => {
    const registered = log.enterprise('91320214MA1XK00011', 'js.wuxi.xinwu', '无锡芯动微电子科技有限公司');
    await project(db, enterprisesProjection, log.events);
    expect(await db.reader.selectFrom('enterprises').selectAll().execute()).toEqual([
      {
        credit_code: '91320214MA1XK00011',
        name: '无锡芯动微电子科技有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        established_on: '2019-05-20',
        revision: 0,
        last_position: registered.position,
      },
    ]);
  });

  it('rounds: created with its window and policy version, then closed early', async () => {
    log.round('r1', 'js.wuxi', 'gazelle');
    const closed = log.add('round-r1', 'RoundClosed', {
      closedAt: '2026-04-01T00:00:00.000Z',
      reason: '提前截止',
    });
    await project(db, roundsProjection, log.events);
    expect(await db.reader.selectFrom('rounds').selectAll().execute()).toEqual([
      {
        round_id: 'r1',
        programme: 'gazelle',
        year: 2026,
        batch: 1,
        title: 'gazelle 2026-1',
        jurisdiction: 'js.wuxi',
        policy_version: 'gazelle/wuxi-2024',
        opens_at: '2026-03-01T00:00:00+08:00',
        closes_at: '2026-04-30T17:00:00+08:00',
        quota: null,
        closed_at: '2026-04-01T00:00:00.000Z',
        publicity_starts_on: null,
        publicity_ends_on: null,
        finalized_on: null,
        revision: 1,
        last_position: closed.position,
      },
    ]);
  });
});
