import { eagletData } from '@engine/incubation/testing/sample-applications';
import { addWorkingDays, PersonalDataVault } from '@engine/platform';
import { EngineDriver, enterpriseOf, officerOf } from '../apps/demo/src/engine-driver';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

const CITY = 'js.wuxi';
const DISTRICT = 'js.wuxi.xinwu';
/** Retries an assertion on something delivered asynchronously (the notification outbox), for at most 20 s (a loaded CI machine). */
async function eventually(assertion: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const objector = { name: '张三', idNumber: '11010519491231002X', phone: '13800138000' };

/**
 * An eaglet round from opening to memberships, through the HTTP api with the worker in
 * process: expert panels (a conflict excluded, a strict threshold, an overdue expert replaced),
 * a publicity straddling the May Day holiday, an upheld objection, finalization by the
 * publicity timer, then an exit for fraud and the ban that refuses the next application.
 */
describe('eaglet: round to membership', () => {
  let h: Harness;
  let d: EngineDriver;
  let roundId: string;
  const codes: string[] = [];
  const apps: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    roundId = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '2026年度无锡市雏鹰企业第一批入库申报',
      jurisdiction: CITY,
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    });
    for (const [i, key] of (['a', 'b', 'c', 'd'] as const).entries()) {
      const code = creditCode(`91320214MW${String(i + 1).padStart(7, '0')}`);
      codes.push(code);
      await d.registerEnterprise({
        creditCode: code,
        name: `无锡雏鹰流程${key}有限公司`,
        jurisdiction: DISTRICT,
        establishedOn: '2020-05-20',
      });
      apps[key] = await d.apply(code, roundId, eagletData(i));
      await d.passReviews(apps[key], DISTRICT, CITY);
    }
    // 16 experts, 3 in finance; expert e-16 sits on the board of enterprise a.
    await d.registerExperts('e', 16, 3, (n) => (n === 16 ? [codes[0]] : []));
  }, 60_000);
  afterAll(() => h.close());

  it('draws panels at random from the pool, never an affiliated expert, with the seed recorded', async () => {
    const experts = await d.drawPanel(apps.a, CITY);
    expect(experts).toHaveLength(5);
    expect(experts).not.toContain('e-16');
    const history = (await h.request('GET', `/v1/applications/${apps.a}/history`, { as: officerOf(CITY) }))
      .body;
    const drawn = history.find((e: { type: string }) => e.type === 'ExpertPanelDrawn').data;
    expect(drawn).toMatchObject({ excluded: ['e-16'], experts, rules: { size: 5, minFinancial: 1 } });
    expect(drawn.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(experts.filter((id: string) => ['e-1', 'e-2', 'e-3'].includes(id)).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      (await h.request('POST', `/v1/applications/${apps.a}/panel`, { as: officerOf(CITY), body: {} })).status,
    ).toBe(409);
  });

  it('shows experts a blind view, takes one integer score each, and decides on the exact mean', async () => {
    const experts = (await d.application(apps.a)).panel.map((m: { expertId: string }) => m.expertId);
    const blind = await h.request('GET', `/v1/applications/${apps.a}`, {
      as: { sub: experts[0], role: 'expert' },
    });
    expect(blind.status).toBe(200);
    expect(blind.body).not.toHaveProperty('creditCode');
    expect(JSON.stringify(blind.body)).not.toContain(codes[0]);
    expect(
      (await h.request('GET', `/v1/applications/${apps.b}`, { as: { sub: experts[0], role: 'expert' } }))
        .status,
    ).toBe(404);
    expect(
      (
        await h.request('POST', `/v1/applications/${apps.a}/scores`, {
          as: { sub: experts[0], role: 'expert' },
          body: { score: 70.5 },
        })
      ).status,
    ).toBe(400);
    expect(await d.scoreAll(apps.a, experts, [80, 78, 85, 90, 74])).toBe('passed');
    expect(
      (
        await h.request('POST', `/v1/applications/${apps.a}/scores`, {
          as: { sub: experts[0], role: 'expert' },
          body: { score: 90 },
        })
      ).status,
    ).toBe(409);
    expect((await d.application(apps.a)).score).toBe('81.4');
    // The panel heard of it in its inbox, blind.
    await eventually(async () => {
      const inbox = (await h.request('GET', '/v1/inbox', { as: { sub: experts[1], role: 'expert' } })).body;
      expect(JSON.stringify(inbox.items)).toContain(apps.a);
      expect(JSON.stringify(inbox.items)).not.toContain('无锡雏鹰流程a');
    });
    const seats = (await h.request('GET', '/v1/assignments', { as: { sub: experts[0], role: 'expert' } }))
      .body;
    expect(seats).toEqual([
      expect.objectContaining({ applicationId: apps.a, state: 'concluded', score: 80 }),
    ]);
    expect(JSON.stringify(seats)).not.toContain(codes[0]);

    // "Above 70": a mean of exactly 70 fails.
    expect(await d.scoreAll(apps.b, await d.drawPanel(apps.b, CITY), 70)).toBe('failed');
    expect(await d.scoreAll(apps.c, await d.drawPanel(apps.c, CITY), [71, 72, 73, 74, 75])).toBe('passed');
  });

  it('reminds an expert a working day before the deadline and replaces them after it', async () => {
    h.clock.set(new Date('2026-03-05T01:00:00Z'));
    const experts = await d.drawPanel(apps.d, CITY);
    const dueOn = (await d.application(apps.d)).panel[0].dueOn;
    expect(dueOn).toBe(addWorkingDays('2026-03-05', 10));
    for (const expertId of experts.slice(0, 4)) await d.score(apps.d, expertId, 88);
    await h.advanceTo(`${dueOn}T01:00:00+08:00`);
    let history = (await h.request('GET', `/v1/applications/${apps.d}/history`, { as: officerOf(CITY) }))
      .body;
    expect(
      history
        .filter((e: { type: string }) => e.type === 'ExpertReminded')
        .map((e: { data: { expertId: string } }) => e.data.expertId),
    ).toEqual([experts[4]]);
    await h.advanceTo(`${dueOn}T16:00:00Z`); // the next day, 00:00 in China
    history = (await h.request('GET', `/v1/applications/${apps.d}/history`, { as: officerOf(CITY) })).body;
    const replaced = history.filter((e: { type: string }) => e.type === 'ExpertReplaced');
    expect(replaced).toHaveLength(1);
    const replacement = replaced[0].data.replacement;
    expect(experts).not.toContain(replacement); // never someone drawn before
    const late = await h.request('POST', `/v1/applications/${apps.d}/scores`, {
      as: { sub: experts[4], role: 'expert' },
      body: { score: 90 },
    });
    expect(late).toMatchObject({ status: 409, body: { code: 'NOT_ON_PANEL' } });
    expect((await d.score(apps.d, replacement, 86)).status).toBe('passed');
  });

  let publicity: { startsOn: string; endsOn: string };
  let objectionId: string;

  it('publicises the passed applications over the May Day holiday, counted in working days', async () => {
    expect(
      (await h.request('POST', `/v1/rounds/${roundId}/publicity`, { as: officerOf(CITY), body: {} })).status,
    ).toBe(409); // window still open
    h.clock.set(new Date('2026-04-30T10:00:00Z')); // 18:00 in Wuxi, after the window closed
    publicity = await d.publicise(roundId, CITY);
    expect(publicity.startsOn).toBe('2026-04-30');
    expect(publicity.endsOn).toBe(addWorkingDays('2026-04-30', 10));
    expect(publicity.endsOn > '2026-05-14').toBe(true); // ten weekdays would end on the 14th
    await h.settle();
    expect(await d.status(apps.a)).toBe('in-publicity');
    expect(await d.status(apps.b)).toBe('failed');
    const list = await d.list(roundId, 'proposed');
    expect(list.map((e: { applicationId: string }) => e.applicationId).sort()).toEqual(
      [apps.a, apps.c, apps.d].sort(),
    );
    // During publicity the list is public.
    expect((await h.request('GET', `/v1/rounds/${roundId}/list`)).status).toBe(200);
    expect((await d.round(roundId)).status).toBe('in-publicity');
  });

  it('takes objections only under a real name with evidence, and an upheld one removes the application', async () => {
    const anonymous = await h.request('POST', `/v1/applications/${apps.c}/objections`, {
      body: {
        objector: { name: '', idNumber: '', phone: '' },
        grounds: '该企业研发费用数据不实',
        evidence: ['附件1'],
      },
    });
    expect(anonymous.status).toBe(400);
    const badId = await h.request('POST', `/v1/applications/${apps.c}/objections`, {
      body: {
        objector: { ...objector, idNumber: '110105194912310021' },
        grounds: '该企业研发费用数据不实',
        evidence: ['附件1'],
      },
    });
    expect(badId.status).toBe(400);
    const raised = await h.request('POST', `/v1/applications/${apps.c}/objections`, {
      body: {
        objector,
        grounds: '该企业研发费用数据不实，申报材料与审计报告不符',
        evidence: ['审计报告第3页'],
      },
    });
    expect(raised.status).toBe(201);
    objectionId = raised.body.id;
    // An organisation objects under its name, credit code and official seal, with a contact person.
    const organization = {
      name: '无锡同业竞争科技有限公司',
      creditCode: creditCode('91320214MA1XRG001'),
      sealImage: 'doc://objections/seal-0001.png',
      contact: { name: '王五', phone: '13700137000' },
    };
    const grounds = { grounds: '该企业知识产权权属存在争议，已提起诉讼', evidence: ['起诉状'] };
    const both = await h.request('POST', `/v1/applications/${apps.a}/objections`, {
      body: { objector, organization, ...grounds },
      remoteAddress: '10.0.0.7', // another objector: the strict per-address limit counts apart
    });
    expect(both).toMatchObject({ status: 400, body: { code: 'OBJECTOR_ANONYMOUS' } });
    const badCode = await h.request('POST', `/v1/applications/${apps.a}/objections`, {
      body: { organization: { ...organization, creditCode: '91320214MA1XRG0011' }, ...grounds },
      remoteAddress: '10.0.0.7',
    });
    expect(badCode).toMatchObject({ status: 400, body: { code: 'OBJECTOR_ANONYMOUS' } });
    const byOrganization = await h.request('POST', `/v1/applications/${apps.a}/objections`, {
      body: { organization, ...grounds },
      remoteAddress: '10.0.0.7',
    });
    expect(byOrganization.status).toBe(201);
    const seen = (
      await h.request('GET', `/v1/objections/${byOrganization.body.id}`, { as: officerOf(DISTRICT) })
    ).body;
    expect(seen).toMatchObject({
      objectorKind: 'organization',
      objector: { name: organization.name, creditCode: organization.creditCode, contact: { name: '王*' } },
      evidence: ['起诉状', organization.sealImage],
    });
    expect(
      (
        await h.request('POST', `/v1/objections/${byOrganization.body.id}/resolution`, {
          as: officerOf(CITY),
          body: { upheld: false, reason: '权属争议不影响入库条件' },
        })
      ).status,
    ).toBe(200);
    // The city's officers hear of it in their inbox (the outbox delivers within moments).
    await eventually(async () => {
      const officerInbox = (await h.request('GET', '/v1/inbox', { as: officerOf(CITY) })).body;
      expect(JSON.stringify(officerInbox.items)).toContain(objectionId);
    });
    // Nothing of the objector in clear in the store.
    const events = (
      await h.request('GET', '/v1/audit/events?limit=500', { as: { sub: 'auditor-1', role: 'auditor' } })
    ).body.events;
    expect(JSON.stringify(events)).not.toContain(objector.idNumber);
    expect(JSON.stringify(events)).not.toContain('张三');
    const before = new Date(h.clock.now().getTime() + 1000).toISOString();

    await h.advanceTo(`${publicity.endsOn}T08:00:00+08:00`);
    await h.advanceTo(`${publicity.endsOn}T16:00:00Z`); // publicity over, objection still open
    expect((await d.round(roundId)).status).toBe('in-publicity');
    expect(
      (await h.request('POST', `/v1/rounds/${roundId}/finalize`, { as: officerOf(CITY) })).body.code,
    ).toBe('OBJECTION_OPEN');
    const late = await h.request('POST', `/v1/applications/${apps.a}/objections`, {
      body: { objector, grounds: '逾期提出的异议内容示例文字', evidence: ['附件'] },
    });
    expect(late.status).toBe(409);

    const resolved = await h.request('POST', `/v1/objections/${objectionId}/resolution`, {
      as: officerOf(CITY),
      body: { upheld: true, reason: '经核查，研发费用归集不实' },
    });
    expect(resolved.status).toBe(200);
    await h.settle();
    expect(await d.status(apps.c)).toBe('rejected');
    // The last resolution finalized the round.
    expect((await d.round(roundId)).status).toBe('finalized');
    expect(
      (await d.list(roundId, 'proposed', before)).map((e: { applicationId: string }) => e.applicationId),
    ).toContain(apps.c);
    const final = (await d.list(roundId, 'final')).map((e: { applicationId: string }) => e.applicationId);
    expect(final.sort()).toEqual([apps.a, apps.d].sort());
  });

  it("shows the objector in full to the round's officers, masked to the district's, and to nobody once forgotten", async () => {
    const full = await h.request('GET', `/v1/objections/${objectionId}`, { as: officerOf(CITY) });
    expect(full).toMatchObject({
      status: 200,
      body: { objector, objectorForgotten: false, resolution: { upheld: true } },
    });
    const masked = await h.request('GET', `/v1/objections/${objectionId}`, { as: officerOf(DISTRICT) });
    expect(masked.body.objector).toEqual({
      name: '张*',
      idNumber: '1101**********002X',
      phone: '138****8000',
    });
    expect(
      (await h.request('GET', `/v1/objections/${objectionId}`, { as: officerOf('js.wuxi.liangxi') })).status,
    ).toBe(404);

    const vault = h.app.get(PersonalDataVault);
    expect(await vault.forget(vault.subjectFor('id-number', objector.idNumber))).toBe(true);
    const forgotten = await h.request('GET', `/v1/objections/${objectionId}`, {
      as: { sub: 'auditor-1', role: 'auditor' },
    });
    expect(forgotten.body).toMatchObject({ objector: null, objectorForgotten: true });
    const verify = await h.request('GET', '/v1/audit/verify', { as: { sub: 'auditor-1', role: 'auditor' } });
    expect(verify.body.ok).toBe(true);
  });

  it('admits the final list as memberships valid for the policy years', async () => {
    expect(await d.status(apps.a)).toBe('admitted');
    const memberships = await d.memberships('?programme=eaglet');
    const ofA = memberships.find((m: { creditCode: string }) => m.creditCode === codes[0]);
    expect(ofA).toMatchObject({ status: 'active', validFrom: expect.any(String) });
    const [y, m, day] = ofA.validFrom.split('-');
    const anniversary = Date.parse(`${Number(y) + 3}-${m}-${day}T00:00:00Z`);
    expect(ofA.validUntil).toBe(new Date(anniversary - 86_400_000).toISOString().slice(0, 10));
    const page = (await h.request('GET', `/v1/enterprises/${codes[0]}`, { as: enterpriseOf(codes[0]) })).body;
    expect(page.memberships).toEqual([
      expect.objectContaining({ id: ofA.id, programme: 'eaglet', status: 'active' }),
    ]);
  });

  it('bans an enterprise that exits for fraud from applying again', async () => {
    const memberships = await d.memberships('?programme=eaglet');
    const ofA = memberships.find((m: { creditCode: string }) => m.creditCode === codes[0]);
    const exit = await h.request('POST', `/v1/memberships/${ofA.id}/exit`, {
      as: officerOf(CITY),
      body: { reason: 'fraud', note: '提供虚假材料' },
    });
    expect(exit).toMatchObject({ status: 200, body: { status: 'exited' } });
    await h.settle();
    const next = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 2,
      title: '2026年度无锡市雏鹰企业第二批入库申报',
      jurisdiction: CITY,
      opensAt: '2026-05-20T00:00:00+08:00',
      closesAt: '2026-07-31T17:00:00+08:00',
    });
    const refused = await h.request('POST', '/v1/applications', {
      as: enterpriseOf(codes[0]),
      body: { roundId: next, creditCode: codes[0], data: eagletData() },
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'ENTERPRISE_BANNED' } });
  });
});
