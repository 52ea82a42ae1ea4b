import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { creditCode } from './support/fixtures';

const auditor = { sub: 'auditor-1', role: 'auditor' as const };
const admin = { sub: 'admin-1', role: 'admin' as const };
const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };

interface AuditEvent {
  position: number;
  stream: string;
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: { sub: string; role: string };
  data: unknown;
  hash: string;
}

/** The auditor's global log and integrity proof over HTTP. */
describe('audit', () => {
  let h: Harness;
  let applicationId: string;
  let code: string;
  let midway: string;

  async function all(as: Principal, query: string, limit = 2): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const res = await h.request('GET', `/v1/audit/events?limit=${limit}&after=${after}${query}`, { as });
      expect(res.status).toBe(200);
      expect(res.body.events.length).toBeLessThanOrEqual(limit);
      events.push(...res.body.events);
      after = res.body.next;
    }
    return events;
  }

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    code = creditCode('91320214MA1AU0001');
    const owner = { sub: `ent-${code}`, role: 'enterprise' as const, org: code };
    await h.request('POST', '/v1/enterprises', {
      as: owner,
      body: {
        creditCode: code,
        name: '无锡审计测试有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '审计批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    h.clock.advance(3600_000);
    const created = await h.request('POST', '/v1/applications', {
      as: owner,
      body: { roundId: round.body.id, creditCode: code, data: eagletData() },
    });
    applicationId = created.body.id;
    await h.request('POST', `/v1/applications/${applicationId}/submit`, { as: owner });
    h.clock.advance(3600_000);
    midway = h.clock.now().toISOString();
    h.clock.advance(3600_000);
    await h.request('POST', `/v1/applications/${applicationId}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'recommend', reason: '同意推荐' },
    });
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  it('pages through the whole log in position order, with hashes, until next is null', async () => {
    const events = await all(auditor, '');
    expect(events.map((e) => e.type)).toEqual([
      'EnterpriseRegistered',
      'RoundCreated',
      'ApplicationCreated',
      'ApplicationSubmitted',
      'ApplicationRecommended',
    ]);
    const positions = events.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(events[4]).toMatchObject({
      stream: `application-${applicationId}`,
      revision: 2,
      actor: { sub: 'officer-xinwu', role: 'officer' },
      data: { stage: 'district', reason: '同意推荐' },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      occurredAt: expect.any(String),
      recordedAt: expect.any(String),
    });
    expect(await all(admin, '', 100)).toEqual(events);
  });

  it('filters by type, stream, actor and recording time', async () => {
    expect((await all(auditor, '&type=ApplicationSubmitted,RoundCreated')).map((e) => e.type)).toEqual([
      'RoundCreated',
      'ApplicationSubmitted',
    ]);
    const stream = await all(auditor, `&stream=application-${applicationId}`);
    expect(stream.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(await all(auditor, `&stream=application-${applicationId.slice(0, 8)}`)).toEqual([]); // exact name, not a prefix
    expect((await all(auditor, '&actor=officer-xinwu')).map((e) => e.type)).toEqual([
      'ApplicationRecommended',
    ]);
    const before = await all(auditor, `&to=${encodeURIComponent(midway)}`);
    const after = await all(auditor, `&from=${encodeURIComponent(midway)}`);
    expect(before.map((e) => e.type)).toEqual([
      'EnterpriseRegistered',
      'RoundCreated',
      'ApplicationCreated',
      'ApplicationSubmitted',
    ]);
    expect(after.map((e) => e.type)).toEqual(['ApplicationRecommended']);
  });

  it('refuses bad parameters with 400', async () => {
    for (const query of [
      'after=-1',
      'after=x',
      'limit=0',
      'limit=1001',
      'type=not a type',
      'from=yesterday',
      'to=2026-13-01T00:00:00Z',
      'from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
      'x=1',
    ]) {
      const res = await h.request('GET', `/v1/audit/events?${query}`, { as: auditor });
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
      );
    }
  });

  it('proves the record intact, and names the first altered event', async () => {
    const ok = await h.request('GET', '/v1/audit/verify', { as: auditor });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      ok: true,
      streams: 3,
      events: 5,
      materials: { ok: true, materials: 0, files: 0, problems: [] },
    });

    // Someone edits the stored reason of the review behind the engine's back.
    const file = new Database(join(h.dataDir, 'events.sqlite'));
    try {
      file
        .prepare(`UPDATE events SET data = ? WHERE stream = ? AND revision = 2`)
        .run(JSON.stringify({ reason: '不同意', stage: 'district' }), `application-${applicationId}`);
    } finally {
      file.close();
    }
    const broken = await h.request('GET', '/v1/audit/verify', { as: admin });
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({
      ok: false,
      events: 5,
      firstBreak: { stream: `application-${applicationId}`, revision: 2 },
    });
  });
});
