import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { expectMatches } from './support/openapi-contract';
import { roundInPublicity } from './support/publicity';

/**
 * GET /v1/public/rounds: what the public notices say, without signing in. The enterprise portal
 * lists the rounds open for its district from it, and the public publicity page the rounds whose
 * list is publicised (then reads the list at GET /v1/rounds/:id/list).
 */
jest.setTimeout(60_000);

const wuxi: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };

describe('GET /v1/public/rounds', () => {
  let h: Harness;
  let openRound: string;
  let publicised: Awaited<ReturnType<typeof roundInPublicity>>;

  beforeAll(async () => {
    h = await startApi({ now: '2026-04-01T02:00:00.000Z' });
    const res = await h.request('POST', '/v1/rounds', {
      as: wuxi,
      body: {
        programme: 'gazelle',
        year: 2026,
        batch: 1,
        title: '2026年度瞪羚企业第一批',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-12-31T17:00:00+08:00',
      },
    });
    openRound = res.body.id;
    publicised = await roundInPublicity(h, {
      batch: 2,
      title: '2026年度雏鹰企业第二批',
      name: '无锡芯动微电子科技有限公司',
      seed: 'pr',
      serial: 4242,
    });
  }, 60_000);
  afterAll(() => h.close());

  it('lists the open rounds to anyone, with the programme by its label and the pinned policy', async () => {
    const res = await h.request('GET', '/v1/public/rounds?status=open');
    expect(res.status).toBe(200);
    await expectMatches(h, 'GET', '/v1/public/rounds', 200, res.body);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: openRound,
        programme: 'gazelle',
        programmeLabel: { zh: '瞪羚企业', en: 'Gazelle enterprise' },
        title: '2026年度瞪羚企业第一批',
        status: 'open',
        policyVersion: expect.stringMatching(/^gazelle\//),
        publicity: null,
      }),
    ]);
    // Only what the notice says: no counts of applications.
    expect(res.body.items[0].counts).toBeUndefined();
  });

  it('lists by default the rounds in publicity, with the last day of the period', async () => {
    const res = await h.request('GET', '/v1/public/rounds');
    expect(res.status).toBe(200);
    await expectMatches(h, 'GET', '/v1/public/rounds', 200, res.body);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([publicised.roundId]);
    expect(res.body.items[0]).toMatchObject({
      status: 'in-publicity',
      publicity: { endsOn: publicised.endsOn },
    });
    // …and the list itself is public while the publicity runs.
    const list = await h.request('GET', `/v1/rounds/${publicised.roundId}/list`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ name: '无锡芯动微电子科技有限公司' })]);
  });

  it("keeps to the rounds whose issuer covers a district when asked `for` one (an enterprise's own)", async () => {
    const inside = await h.request('GET', '/v1/public/rounds?status=open&for=js.wuxi.xinwu');
    expect(inside.body.items.map((r: { id: string }) => r.id)).toEqual([openRound]);
    const elsewhere = await h.request('GET', '/v1/public/rounds?status=open&for=fj.xiamen.siming');
    expect(elsewhere.body.items).toEqual([]);
  });

  it('refuses (400) a status the public may not list and a malformed jurisdiction', async () => {
    expect((await h.request('GET', '/v1/public/rounds?status=closed')).status).toBe(400);
    expect((await h.request('GET', '/v1/public/rounds?for=..')).status).toBe(400);
  });
});
