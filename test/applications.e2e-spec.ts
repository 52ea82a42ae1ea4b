import { type Harness, startApi } from './support/api-harness';
import { eagletData, WUXI_FIRST_BATCH } from '@engine/incubation/testing/sample-applications';
import { creditCode } from './support/fixtures';

/**
 * The life of an application through the district and city stages, over HTTP against the
 * booted engine. The figures are those of the source page: Wuxi high-tech zone, first batch
 * of proposed entrants, 177 enterprises = 108 eaglet + 61 gazelle + 8 quasi-unicorn (run here
 * under the policy versions in force in 2026).
 */
const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const liangxi = { sub: 'officer-liangxi', role: 'officer' as const, jurisdiction: 'js.wuxi.liangxi' };
const auditor = { sub: 'auditor-1', role: 'auditor' as const };

const PROGRAMMES = WUXI_FIRST_BATCH;

/**
 * Eaglet 2024 requires four files (licence, audit report, R&D audit, commitment letter); the
 * harness attaches them before submit, each a MaterialAttached event of its own.
 */
const REQUIRED_MATERIALS = 4;
const revisions = (count: number) => Array.from({ length: count }, (_, i) => i);

const enterpriseOf = (code: string) => ({ sub: `ent-${code}`, role: 'enterprise' as const, org: code });

describe('applications through district and city review', () => {
  let h: Harness;
  const rounds: Record<string, string> = {};
  let serial = 0;

  async function newEnterprise(jurisdiction = 'js.wuxi.xinwu', establishedOn = '2019-05-20') {
    const code = creditCode(`91320214MA${String(++serial).padStart(7, '0')}`);
    const res = await h.request('POST', '/v1/enterprises', {
      as: enterpriseOf(code),
      body: { creditCode: code, name: `无锡高新区测试企业${serial}有限公司`, jurisdiction, establishedOn },
    });
    expect(res.status).toBe(201);
    return code;
  }

  async function draft(code: string, programme: string, data: unknown) {
    const res = await h.request('POST', '/v1/applications', {
      as: enterpriseOf(code),
      body: { roundId: rounds[programme], creditCode: code, data },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function submitted(code: string, programme = 'eaglet', data: unknown = eagletData()) {
    const id = await draft(code, programme, data);
    const res = await h.request('POST', `/v1/applications/${id}/submit`, { as: enterpriseOf(code) });
    expect(res.status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    for (const { programme } of PROGRAMMES) {
      const res = await h.request('POST', '/v1/rounds', {
        as: city,
        body: {
          programme,
          year: 2026,
          batch: 1,
          title: `2026年度无锡市${programme}第一批入库申报`,
          jurisdiction: 'js.wuxi',
          opensAt: '2026-03-01T00:00:00+08:00',
          closesAt: '2026-04-30T17:00:00+08:00',
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'open',
        policyVersion: expect.stringMatching(new RegExp(`^${programme}/`)),
      });
      rounds[programme] = res.body.id;
    }
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('pins the policy version in force when the round opens and reports the round', async () => {
    const res = await h.request('GET', `/v1/rounds/${rounds.eaglet}`, { as: xinwu });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      status: 'open',
      policyVersion: 'eaglet/wuxi-2024',
    });
    expect(res.headers.etag).toBe('"0"');
    const programmes = await h.request('GET', '/v1/programmes', { as: auditor });
    expect(programmes.body.find((p: { code: string }) => p.code === 'eaglet')).toMatchObject({
      policyVersion: 'eaglet/wuxi-2024',
      documentNumber: '锡科规〔2024〕218号',
      publicityWorkingDays: 10,
    });
  });

  it('takes the Wuxi high-tech zone first batch, 177 = 108 eaglet + 61 gazelle + 8 quasi-unicorn, through both reviews', async () => {
    const ids: { id: string; code: string; programme: string }[] = [];
    for (const { programme, count, data, establishedOn } of PROGRAMMES) {
      for (let i = 0; i < count; i++) {
        const code = await newEnterprise('js.wuxi.xinwu', establishedOn);
        ids.push({ id: await submitted(code, programme, data(i)), code, programme });
      }
    }
    for (const { id } of ids) {
      const district = await h.request('POST', `/v1/applications/${id}/reviews`, {
        as: xinwu,
        body: { stage: 'district', decision: 'recommend', reason: '初审通过，同意推荐' },
      });
      expect(district.body).toMatchObject({ status: 'recommended' });
      const cityReview = await h.request('POST', `/v1/applications/${id}/reviews`, {
        as: city,
        body: { stage: 'city', decision: 'recommend', reason: '形式审查通过' },
      });
      expect(cityReview.body).toMatchObject({ status: 'in-expert-review' });
    }
    const counts: Record<string, number> = {};
    for (const { code } of ids) {
      const enterprise = await h.request('GET', `/v1/enterprises/${code}`, { as: auditor });
      for (const application of enterprise.body.applications) {
        expect(application.status).toBe('in-expert-review');
        counts[application.programme] = (counts[application.programme] ?? 0) + 1;
      }
    }
    expect(counts).toEqual({ eaglet: 108, gazelle: 61, 'quasi-unicorn': 8 });
  }, 120_000);

  it('returns an application for material with a working-day deadline; resubmission clears it and it is recommended', async () => {
    const code = await newEnterprise();
    const id = await submitted(code);
    const returned = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'return', reason: '请补充2025年度研发费用专项审计报告' },
    });
    // 2026-03-02 (Monday) + 10 working days, start day not counted.
    expect(returned.body).toMatchObject({ status: 'returned', respondBy: '2026-03-16' });
    const seen = await h.request('GET', `/v1/applications/${id}`, { as: enterpriseOf(code) });
    expect(seen.body).toMatchObject({
      status: 'returned',
      returned: { respondBy: '2026-03-16', reason: '请补充2025年度研发费用专项审计报告' },
    });

    const patched = await h.request('PATCH', `/v1/applications/${id}`, {
      as: enterpriseOf(code),
      body: { data: { ...eagletData(), employees: 47 } },
    });
    expect(patched.status).toBe(200);
    const resubmitted = await h.request('POST', `/v1/applications/${id}/submit`, { as: enterpriseOf(code) });
    expect(resubmitted.body).toMatchObject({ status: 'submitted', eligibility: { eligible: true } });
    const after = await h.request('GET', `/v1/applications/${id}`, { as: enterpriseOf(code) });
    expect(after.body.returned).toBeUndefined();
    expect(after.body.data.employees).toBe(47);
    const recommended = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'recommend', reason: '补充材料齐全' },
    });
    expect(recommended.body.status).toBe('recommended');
  });

  it('shows a rejection and its reason to the enterprise', async () => {
    const code = await newEnterprise();
    const id = await submitted(code);
    await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'reject', reason: '注册地不在本区，不予推荐' },
    });
    const seen = await h.request('GET', `/v1/applications/${id}`, { as: enterpriseOf(code) });
    expect(seen.body).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'district', reason: '注册地不在本区，不予推荐' },
    });
    const enterprise = await h.request('GET', `/v1/enterprises/${code}`, { as: enterpriseOf(code) });
    expect(enterprise.body.applications).toEqual([
      { id, programme: 'eaglet', roundId: rounds.eaglet, status: 'rejected' },
    ]);
  });

  it('refuses an ineligible submission with 422 and the explanation, writing nothing', async () => {
    const code = await newEnterprise();
    const data = eagletData();
    data.financials[1].revenue = 20_000_001; // "at most 20 million" fails by one yuan
    const id = await draft(code, 'eaglet', data);
    const before = await h.request('GET', `/v1/applications/${id}/history`, { as: auditor });
    // Without its materials too: the hard rules answer first, and nothing is written.
    const res = await h.request('POST', `/v1/applications/${id}/submit`, {
      as: enterpriseOf(code),
      withoutMaterials: true,
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      statusCode: 422,
      code: 'NOT_ELIGIBLE',
      explanation: { eligible: false, policyVersion: 'eaglet/wuxi-2024' },
    });
    const failed = res.body.explanation.checks.filter(
      (c: { passed: boolean; hard: boolean }) => !c.passed && c.hard,
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((c: { actual: string }) => c.actual).join(' ')).toContain('20,000,001');
    const after = await h.request('GET', `/v1/applications/${id}/history`, { as: auditor });
    expect(after.body).toHaveLength(before.body.length);

    data.financials[1].revenue = 20_000_000; // exactly at the cap passes
    await h.request('PATCH', `/v1/applications/${id}`, { as: enterpriseOf(code), body: { data } });
    expect(
      (await h.request('POST', `/v1/applications/${id}/submit`, { as: enterpriseOf(code) })).status,
    ).toBe(200);
  });

  it('refuses a submission outside the round window with 409', async () => {
    const code = await newEnterprise();
    const id = await draft(code, 'eaglet', eagletData());
    const later = h.clock.now();
    h.clock.set(new Date('2026-05-01T00:00:00+08:00'));
    try {
      const res = await h.request('POST', `/v1/applications/${id}/submit`, { as: enterpriseOf(code) });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('OUTSIDE_ROUND_WINDOW');
    } finally {
      h.clock.set(later);
    }
  });

  it('makes commands conditional with If-Match (412 when stale) and sends ETag on reads', async () => {
    const code = await newEnterprise();
    const id = await submitted(code);
    const read = await h.request('GET', `/v1/applications/${id}`, { as: xinwu });
    expect(read.headers.etag).toBe(`"${read.body.revision}"`);
    const stale = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      headers: { 'if-match': `"${read.body.revision - 1}"` },
      body: { stage: 'district', decision: 'recommend', reason: '同意' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    const fresh = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      headers: { 'if-match': read.headers.etag as string },
      body: { stage: 'district', decision: 'recommend', reason: '同意' },
    });
    expect(fresh.status).toBe(200);
    const malformed = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: city,
      headers: { 'if-match': 'yesterday' },
      body: { stage: 'city', decision: 'recommend', reason: '同意' },
    });
    expect(malformed.status).toBe(400);
  });

  it('makes a POST safe to repeat with Idempotency-Key; the same key with another body is 422', async () => {
    const code = await newEnterprise();
    const body = { roundId: rounds.eaglet, creditCode: code, data: eagletData() };
    const headers = { 'idempotency-key': `create-${code}` };
    const first = await h.request('POST', '/v1/applications', { as: enterpriseOf(code), body, headers });
    const again = await h.request('POST', '/v1/applications', { as: enterpriseOf(code), body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const enterprise = await h.request('GET', `/v1/enterprises/${code}`, { as: enterpriseOf(code) });
    expect(enterprise.body.applications).toHaveLength(1);
    const different = await h.request('POST', '/v1/applications', {
      as: enterpriseOf(code),
      body: { ...body, data: { ...eagletData(), employees: 99 } },
      headers,
    });
    expect(different.status).toBe(422);
    expect(different.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const submitKey = { 'idempotency-key': `submit-${code}` };
    const s1 = await h.request('POST', `/v1/applications/${first.body.id}/submit`, {
      as: enterpriseOf(code),
      headers: submitKey,
    });
    const s2 = await h.request('POST', `/v1/applications/${first.body.id}/submit`, {
      as: enterpriseOf(code),
      headers: submitKey,
    });
    expect([s1.status, s2.status]).toEqual([200, 200]);
    expect(s2.body.revision).toBe(s1.body.revision);
    const history = await h.request('GET', `/v1/applications/${first.body.id}/history`, { as: auditor });
    expect(history.body.map((e: { type: string }) => e.type)).toEqual([
      'ApplicationCreated',
      ...Array(REQUIRED_MATERIALS).fill('MaterialAttached'),
      'ApplicationSubmitted',
    ]);
  });

  it('keeps the whole history with hashes and shows the application as it stood at an instant', async () => {
    const code = await newEnterprise();
    const id = await submitted(code);
    const beforeReview = h.clock.now().toISOString();
    h.clock.advance(60_000);
    await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'recommend', reason: '同意推荐' },
    });
    const now = await h.request('GET', `/v1/applications/${id}`, { as: auditor });
    const then = await h.request('GET', `/v1/applications/${id}?asOf=${encodeURIComponent(beforeReview)}`, {
      as: auditor,
    });
    expect(now.body.status).toBe('recommended');
    const submittedAt = REQUIRED_MATERIALS + 1; // created, the materials, submitted
    expect(then.body).toMatchObject({ status: 'submitted', revision: submittedAt });
    const history = await h.request('GET', `/v1/applications/${id}/history`, { as: enterpriseOf(code) });
    expect(history.body.map((e: { revision: number }) => e.revision)).toEqual(revisions(submittedAt + 2));
    expect(history.body[submittedAt + 1]).toMatchObject({
      type: 'ApplicationRecommended',
      actor: { sub: 'officer-xinwu', role: 'officer' },
      data: { stage: 'district', reason: '同意推荐' },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const beforeCreation = await h.request('GET', `/v1/applications/${id}?asOf=2020-01-01T00:00:00Z`, {
      as: auditor,
    });
    expect(beforeCreation.status).toBe(404);
  });

  it('lets only the round’s own officers run the city stage, and keeps other districts out (404)', async () => {
    const code = await newEnterprise();
    const id = await submitted(code);
    const otherDistrict = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: liangxi,
      body: { stage: 'district', decision: 'recommend', reason: '同意' },
    });
    expect(otherDistrict.status).toBe(404);
    await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'recommend', reason: '同意' },
    });
    const districtAtCity = await h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'city', decision: 'recommend', reason: '同意' },
    });
    expect(districtAtCity.status).toBe(403);
  });

  it('answers 50 concurrent reviews of one application with exactly one success; history stays contiguous', async () => {
    const code = await newEnterprise();
    const id = await submitted(code);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.request('POST', `/v1/applications/${id}/reviews`, {
          as: { ...xinwu, sub: `officer-xinwu-${i}` },
          headers: i % 2 ? { 'if-match': `"${REQUIRED_MATERIALS + 1}"` } : {},
          body: { stage: 'district', decision: i % 3 ? 'recommend' : 'reject', reason: `意见${i}` },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 412)).toBe(true);
    const history = await h.request('GET', `/v1/applications/${id}/history`, { as: auditor });
    expect(history.body.map((e: { revision: number }) => e.revision)).toEqual(
      revisions(REQUIRED_MATERIALS + 3),
    );
  });
});
