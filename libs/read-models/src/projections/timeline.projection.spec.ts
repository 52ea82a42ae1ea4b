import { ReadModelDatabase } from '../database';
import { queryEnterpriseTimeline } from '../queries/enterprise-timeline.query';
import { EventLog, project } from '../testing/event-log.testing';
import { TIMELINE_LIMIT, timelineProjection } from './timeline.projection';

describe('timeline projection: given events, then an enterprise timeline', () => {
  let db: ReadModelDatabase;
  let log: EventLog;
  const code = '91320214MA1XK00011';
  beforeEach(async () => {
    db = await ReadModelDatabase.open({ dialect: 'sqlite', file: ':memory:' });
    log = new EventLog();
  });
  afterEach(async () => {
    await db.close();
  });
  const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  const open = (id: string) =>
    log.application(id, {
      roundId: `round-${id}`,
      creditCode: code,
      jurisdiction: 'js.wuxi.xinwu',
      roundJurisdiction: 'js.wuxi',
    });

  it('merges the enterprise and its applications, newest first, with rounds, deadlines and reasons', async () => {
    log.now = at(1);
    log.enterprise(code, 'js.wuxi.xinwu', '无锡芯动微电子科技有限公司');
    log.enterprise('91320214MA1XK00029', 'js.wuxi.xinwu'); // another enterprise: not in this timeline
    log.now = at(2);
    open('a1');
    log.now = at(3);
    log.submit('a1');
    log.now = at(4);
    open('a2');
    log.now = at(5);
    log.review('a1', 'district', 'return', '2026-03-20');
    log.now = at(6);
    log.submit('a1', true);
    log.now = at(7);
    log.review('a1', 'district', 'recommend');
    await project(db, timelineProjection, log.events.slice(0, 5));
    await project(db, timelineProjection, log.events.slice(5)); // in two pages: rows are read back

    const timeline = await queryEnterpriseTimeline(db.reader, code);
    expect(timeline.map((e) => [e.at.slice(0, 10), e.type, e.applicationId ?? null])).toEqual([
      ['2026-03-07', 'ApplicationRecommended', 'a1'],
      ['2026-03-06', 'ApplicationSubmitted', 'a1'],
      ['2026-03-05', 'ApplicationReturned', 'a1'],
      ['2026-03-04', 'ApplicationCreated', 'a2'],
      ['2026-03-03', 'ApplicationSubmitted', 'a1'],
      ['2026-03-02', 'ApplicationCreated', 'a1'],
      ['2026-03-01', 'EnterpriseRegistered', null],
    ]);
    expect(timeline[2]).toEqual({
      at: at(5),
      type: 'ApplicationReturned',
      applicationId: 'a1',
      roundId: 'round-a1',
      respondBy: '2026-03-20',
      summary: '区级初审退回补充材料，请于 2026-03-20 前答复：补充材料',
    });
    expect(timeline[0].summary).toBe('区级审核推荐：同意');
    expect(timeline[1].summary).toBe('补充材料后重新提交，资格自评通过');
    // Programmes, stages and event types read as the label catalogue's words, never as codes.
    expect(timeline[3].summary).toMatch(/^创建申请草稿（雏鹰企业，政策版本 /);
    expect(timeline.map((e) => e.summary).join('\n')).not.toMatch(/district|city|Application/);
    expect(timeline[6]).toEqual({
      at: at(1),
      type: 'EnterpriseRegistered',
      summary: '企业登记：无锡芯动微电子科技有限公司（js.wuxi.xinwu）',
    });
    expect(await queryEnterpriseTimeline(db.reader, 'nobody')).toEqual([]);
  });

  it('answers the newest entries only', async () => {
    log.enterprise(code, 'js.wuxi.xinwu');
    open('a1');
    for (let i = 0; i < TIMELINE_LIMIT + 20; i++)
      log.add('application-a1', 'ApplicationDataUpdated', { data: { i } });
    await project(db, timelineProjection, log.events);
    const timeline = await queryEnterpriseTimeline(db.reader, code);
    expect(timeline).toHaveLength(TIMELINE_LIMIT);
    expect(timeline.every((e) => e.type === 'ApplicationDataUpdated')).toBe(true);
  });
});
