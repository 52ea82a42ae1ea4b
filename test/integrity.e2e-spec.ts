import { EventStore } from '@engine/event-store';
import { validateCreditCode } from '@engine/platform';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { type Harness, startApi } from './support/api-harness';
import { Kit, SETUP_OFFICER } from './permissions/scenarios';

/**
 * Review integrity and data defects found by an outside probe (issue 17): each case failed
 * before its fix. Hostile bodies and the fuzz are in abuse.e2e-spec.ts.
 */
describe('review integrity', () => {
  let h: Harness;
  let kit: Kit;

  beforeAll(async () => {
    h = await startApi({ env: { RATE_LIMIT_STRICT_MAX: '100000' } });
    kit = new Kit(h);
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  it("shows an expert on the panel only the policy's fields: no identity, founding date or revenue", async () => {
    const f = await kit.underPanelReview();
    const panel = await h.request('GET', `/v1/applications/${f.submittedId}`, { as: SETUP_OFFICER });
    const expert = { sub: panel.body.panel[1].expertId as string, role: 'expert' as const };
    const res = await h.request('GET', `/v1/applications/${f.submittedId}`, { as: expert });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(f.code);
    expect(text).not.toContain('2019-05-20'); // founding date
    expect(text).not.toContain('"revenue"');
    expect(text).not.toContain('无锡权限矩阵');
    expect(res.body.data.financials[0]).toEqual({ year: expect.any(Number), rdExpense: expect.any(Number) });
    // The eligibility verdicts stay; the figures behind them (age, revenue) do not.
    expect(res.body.eligibility.checks.every((c: object) => !('actual' in c))).toBe(true);
    expect(res.body.seat).toMatchObject({ scored: false });
  }, 60_000);

  it('keeps one application per enterprise and round: 50 concurrent creates give one, the rest 409 with its id', async () => {
    const { code, owner } = await kit.registerEnterprise();
    const roundId = await kit.openRound();
    const store = h.app.get(EventStore);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.request('POST', '/v1/applications', {
          as: owner,
          body: { roundId, creditCode: code, data: eagletData(i) },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set([409]));
    for (const r of refused) {
      expect(r.body).toMatchObject({ code: 'APPLICATION_EXISTS', existingId: created[0].body.id });
    }
    const enterprise = await h.request('GET', `/v1/enterprises/${code}`, { as: owner });
    expect(
      enterprise.body.applications.filter((a: { roundId: string }) => a.roundId === roundId),
    ).toHaveLength(1);
    const events = await store.readStream(`application-${created[0].body.id}`);
    expect(events.filter((e) => e.type === 'ApplicationCreated')).toHaveLength(1);
  }, 60_000);

  it('creates a round once: the same programme, jurisdiction, year and batch again is 409 with its id', async () => {
    const body = {
      programme: 'quasi-unicorn',
      year: 2026,
      batch: 7,
      title: '重复批次',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    };
    const [a, b] = await Promise.all([
      h.request('POST', '/v1/rounds', { as: SETUP_OFFICER, body }),
      h.request('POST', '/v1/rounds', { as: SETUP_OFFICER, body: { ...body, title: '另一标题' } }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const [won, lost] = a.status === 201 ? [a, b] : [b, a];
    expect(lost.body).toMatchObject({ code: 'ROUND_EXISTS', existingId: won.body.id });
  });

  describe('text at the edge', () => {
    const city = SETUP_OFFICER;

    it('refuses NUL, unpaired surrogates and other control characters in every text field, naming it, and appends nothing', async () => {
      const store = h.app.get(EventStore);
      const f = await kit.fixture();
      const head = await store.headPosition();
      const cases: {
        url: string;
        method: 'POST' | 'PATCH';
        as: typeof city;
        body: unknown;
        field: string;
      }[] = [
        {
          method: 'POST',
          url: '/v1/enterprises',
          as: kit.enterprisePrincipal(kit.newCode()),
          body: { name: '无锡\u0000有限公司', jurisdiction: 'js.wuxi.xinwu', establishedOn: '2019-05-20' },
          field: 'name',
        },
        {
          method: 'POST',
          url: '/v1/rounds',
          as: city,
          body: {
            programme: 'eaglet',
            ...kit.nextBatch(),
            title: '批次\u0000',
            jurisdiction: 'js.wuxi',
            opensAt: '2026-03-01T00:00:00+08:00',
            closesAt: '2026-04-30T17:00:00+08:00',
          },
          field: 'title',
        },
        {
          method: 'POST',
          url: `/v1/applications/${f.submittedId}/reviews`,
          as: city,
          body: { stage: 'district', decision: 'return', reason: '请补充\ud800材料' },
          field: 'reason',
        },
        {
          method: 'POST',
          url: `/v1/applications/${f.submittedId}/reviews`,
          as: city,
          body: { stage: 'district', decision: 'return', reason: '请补充\u202e材料' },
          field: 'reason',
        },
        {
          method: 'PATCH',
          url: `/v1/applications/${f.draftId}`,
          as: f.owner as typeof city,
          body: { data: { ...eagletData(), creditRating: 'A\u001bA' } },
          field: 'data.creditRating',
        },
      ];
      for (const c of cases) {
        const body = c.url === '/v1/enterprises' ? { ...(c.body as object), creditCode: c.as.org } : c.body;
        const res = await h.request(c.method, c.url, { as: c.as, body });
        expect([c.url, res.status, res.body.code]).toEqual([c.url, 400, 'VALIDATION_FAILED']);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(c.field);
      }
      expect(await store.headPosition()).toBe(head);
    }, 60_000);

    it('refuses a body that is not valid UTF-8 instead of storing replacement characters', async () => {
      const f = await kit.fixture();
      const json = Buffer.from(JSON.stringify({ stage: 'district', decision: 'return', reason: '请补充XX' }));
      const at = json.indexOf(Buffer.from('XX'));
      json[at] = 0xc3; // a lead byte without its continuation
      json[at + 1] = 0x28;
      const res = await h.app.inject({
        method: 'POST',
        url: `/v1/applications/${f.submittedId}/reviews`,
        headers: {
          authorization: `Bearer ${await h.token(city)}`,
          'content-type': 'application/json',
          'accept-language': 'en',
        },
        payload: json,
      });
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).message).toMatch(/UTF-8/);
    });

    it('says a prototype key is a forbidden property name, not "not valid JSON"', async () => {
      const res = await h.request('POST', '/v1/rounds', {
        as: city,
        raw: '{"__proto__": {"isAdmin": true}, "title": "x"}',
        headers: { 'accept-language': 'en' },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/forbidden property name/);
    });

    it('takes short Chinese grounds (营业收入数据不实, 8 characters) and shows the lengths in the OpenAPI schema', async () => {
      const f = await kit.inPublicity();
      const res = await h.request('POST', `/v1/applications/${f.submittedId}/objections`, {
        body: {
          objector: { name: '王五', idNumber: '11010519491231002X', phone: '13800138000' },
          grounds: '营业收入数据不实',
          evidence: ['审计报告'],
        },
      });
      expect(res.status).toBe(201);
      const docs = await h.request('GET', '/docs-json');
      const schemas = docs.body.components.schemas;
      expect(schemas.RaiseObjectionRequest.properties.grounds).toMatchObject({
        minLength: 4,
        maxLength: 5000,
      });
      expect(schemas.ReviewApplicationRequest.properties.reason).toMatchObject({
        minLength: 1,
        maxLength: 2000,
      });
      expect(schemas.CreateRoundRequest.properties.title).toMatchObject({ minLength: 1, maxLength: 200 });
    }, 60_000);
  });

  it('refuses a webhook URL whose host is loopback, private, link-local or the metadata address', async () => {
    const { owner } = await kit.registerEnterprise();
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.8/hook',
      'http://[::1]/hook',
      'http://[::ffff:192.168.1.1]/hook',
    ]) {
      const res = await h.request('POST', '/v1/webhooks', {
        as: owner,
        body: { url, events: ['*'], secret: 'a-secret-of-16-chars-or-more' },
      });
      expect([url, res.status, res.body.details?.[0]?.field]).toEqual([url, 400, 'url']);
    }
  });

  it('refuses implausible dates: a round closing in 9999 (400), a founding date in the future (422)', async () => {
    const round = await h.request('POST', '/v1/rounds', {
      as: SETUP_OFFICER,
      body: {
        programme: 'eaglet',
        ...kit.nextBatch(),
        title: '万年批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '9999-12-31T17:00:00+08:00',
      },
    });
    expect([round.status, round.body.details?.[0]?.field]).toEqual([400, 'closesAt']);
    const code = kit.newCode();
    const enterprise = await h.request('POST', '/v1/enterprises', {
      as: kit.enterprisePrincipal(code),
      body: {
        creditCode: code,
        name: '未来有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2030-01-01',
      },
    });
    expect([enterprise.status, enterprise.body.code]).toEqual([422, 'ESTABLISHED_IN_FUTURE']);
  });

  it('documents error responses, leaves public routes without a token, and gives credit-code examples that pass their check', async () => {
    const docs = (await h.request('GET', '/docs-json')).body;
    const objection = docs.paths['/v1/applications/{id}/objections'].post;
    expect(objection.security).toEqual([]);
    expect(objection.responses['400'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ErrorResponse',
    );
    expect(objection.responses['401']).toBeUndefined();
    const review = docs.paths['/v1/applications/{id}/reviews'].post;
    expect(review.security).not.toEqual([]);
    expect(Object.keys(review.responses)).toEqual(
      expect.arrayContaining(['400', '401', '403', '404', '409', '422']),
    );
    const examples = JSON.stringify(docs).match(/"9[0-9A-Z]{17}"/g) ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples)
      expect([example, validateCreditCode(JSON.parse(example)).valid]).toEqual([example, true]);
  });
});
