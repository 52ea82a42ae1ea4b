import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { attachRequiredMaterials, type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { filesUnder, samples, upload } from './support/materials';

/**
 * An application's materials over HTTP: streamed upload checked by size and content, the
 * events that name each file by digest, who may read them, and the integrity check.
 */
const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const liangxi = { sub: 'officer-liangxi', role: 'officer' as const, jurisdiction: 'js.wuxi.liangxi' };
const auditor = { sub: 'auditor-1', role: 'auditor' as const };
const expert = { sub: 'expert-1', role: 'expert' as const };
const enterpriseOf = (code: string): Principal => ({ sub: `ent-${code}`, role: 'enterprise', org: code });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const KIB = 1024;

async function openEagletRound(h: Harness): Promise<string> {
  const res = await h.request('POST', '/v1/rounds', {
    as: city,
    body: {
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '2026年度无锡市雏鹰企业第一批入库申报',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

function applicant(h: Harness, roundId: string) {
  let serial = 0;
  return async () => {
    const code = creditCode(`91320214MB${String(++serial).padStart(7, '0')}`);
    const owner = enterpriseOf(code);
    expect(
      (
        await h.request('POST', '/v1/enterprises', {
          as: owner,
          body: {
            creditCode: code,
            name: `无锡材料测试${serial}有限公司`,
            jurisdiction: 'js.wuxi.xinwu',
            establishedOn: '2019-05-20',
          },
        })
      ).status,
    ).toBe(201);
    const created = await h.request('POST', '/v1/applications', {
      as: owner,
      body: { roundId, creditCode: code, data: eagletData() },
    });
    expect(created.status).toBe(201);
    return { code, owner, id: created.body.id as string };
  };
}

describe('application materials', () => {
  let h: Harness;
  let next: () => Promise<{ code: string; owner: Principal; id: string }>;
  const blobs = () => join(h.dataDir, 'blobs');
  const stored = () => filesUnder(join(blobs(), 'sha256'));
  const partial = () => filesUnder(join(blobs(), 'tmp'));

  beforeAll(async () => {
    h = await startApi({
      env: { MATERIAL_MAX_FILE_BYTES: String(64 * KIB), MATERIAL_MAX_APPLICATION_BYTES: String(150 * KIB) },
    });
    next = applicant(h, await openEagletRound(h));
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('stores an upload by its digest, records it in an event, and serves it back with its Chinese name', async () => {
    const { owner, id } = await next();
    const content = samples.pdf(20 * KIB);
    const res = await upload(h, id, owner, 'business-licence', { name: '营业执照（副本）.pdf', content });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'business-licence',
      fileName: '营业执照（副本）.pdf',
      mediaType: 'application/pdf',
      size: content.length,
      sha256: sha256(content),
    });
    expect(res.headers.etag).toBe(`"${res.body.revision}"`);
    expect(res.headers.location).toBe(`/v1/applications/${id}/materials/${res.body.id}/content`);

    const history = await h.request('GET', `/v1/applications/${id}/history`, { as: auditor });
    const attached = history.body.find((e: { type: string }) => e.type === 'MaterialAttached');
    expect(attached.data).toEqual({
      materialId: res.body.id,
      kind: 'business-licence',
      fileName: '营业执照（副本）.pdf',
      mediaType: 'application/pdf',
      size: content.length,
      sha256: sha256(content),
    });

    const download = await h.app.inject({
      method: 'GET',
      url: res.headers.location as string,
      headers: { authorization: `Bearer ${await h.token(xinwu)}` },
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(content.length));
    // RFC 6266: an ASCII stand-in for old clients, the UTF-8 name (RFC 8187) for everyone else.
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename=________.pdf; filename*=UTF-8''${encodeURIComponent('营业执照（副本）.pdf')}`,
    );
    expect(download.headers.etag).toBe(`"${sha256(content)}"`);

    const list = await h.request('GET', `/v1/applications/${id}/materials`, { as: owner });
    expect(list.status).toBe(200);
    expect(list.body.materials).toEqual([
      expect.objectContaining({ id: res.body.id, kind: 'business-licence' }),
    ]);
    expect(list.body.requirements.find((r: { kind: string }) => r.kind === 'business-licence')).toMatchObject(
      {
        label: { zh: '营业执照' },
        attached: 1,
      },
    );
  });

  it('decides the type by content, not by name, and sanitises the name', async () => {
    const { owner, id } = await next();
    const png = samples.png();
    const res = await upload(h, id, owner, 'ip-certificates', { name: '../../证书.pdf', content: png });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mediaType: 'image/png', fileName: '证书.pdf' });
    const ofd = await upload(h, id, owner, 'commitment-letter', {
      name: '承诺书.ofd',
      content: samples.ofd(),
    });
    expect(ofd.body).toMatchObject({ mediaType: 'application/ofd' });
  });

  it('refuses other content (415), a type the kind does not take (415), and leaves nothing behind', async () => {
    const { owner, id } = await next();
    const before = stored().length;
    const text = await upload(h, id, owner, 'business-licence', {
      name: 'licence.pdf',
      content: Buffer.from('just text pretending to be a PDF'),
    });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const photoOfAudit = await upload(h, id, owner, 'audit-report', {
      name: 'audit.jpg',
      content: samples.jpeg(),
    });
    expect(photoOfAudit.status).toBe(415);
    expect(photoOfAudit.body.limits).toEqual({ accepted: ['application/pdf', 'application/ofd'] });
    expect(stored().length).toBe(before);
    expect(partial()).toEqual([]);
  });

  it('refuses a file over the per-file limit and the application over its total (413), leaving nothing', async () => {
    const { owner, id } = await next();
    const before = stored().length;
    const big = await upload(h, id, owner, 'ip-certificates', {
      name: 'big.pdf',
      content: samples.pdf(70 * KIB),
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('FILE_TOO_LARGE');
    for (let i = 0; i < 2; i++) {
      const ok = await upload(h, id, owner, 'ip-certificates', {
        name: `p${i}.pdf`,
        content: samples.pdf(60 * KIB),
      });
      expect(ok.status).toBe(201);
    }
    const over = await upload(h, id, owner, 'ip-certificates', {
      name: 'p3.pdf',
      content: samples.pdf(60 * KIB),
    });
    expect(over.status).toBe(413);
    expect(over.body.code).toBe('APPLICATION_MATERIALS_TOO_LARGE');
    expect(stored().length).toBe(before + 2);
    expect(partial()).toEqual([]);
  });

  it('refuses an unknown kind (422), a missing kind (400), someone else’s application (404), and a submitted one (409)', async () => {
    const { owner, id } = await next();
    const other = await next();
    await attachRequiredMaterials(h, id, owner); // what submit needs, stored before counting
    const before = stored().length;
    const content = samples.pdf();
    expect((await upload(h, id, owner, 'passport', { name: 'p.pdf', content })).body).toMatchObject({
      statusCode: 422,
      code: 'MATERIAL_KIND_UNKNOWN',
    });
    expect((await upload(h, id, owner, undefined, { name: 'p.pdf', content })).status).toBe(400);
    expect((await upload(h, id, other.owner, 'business-licence', { name: 'p.pdf', content })).status).toBe(
      404,
    );
    expect((await h.request('POST', `/v1/applications/${id}/submit`, { as: owner })).status).toBe(200);
    const late = await upload(h, id, owner, 'business-licence', { name: 'p.pdf', content });
    expect(late.body).toMatchObject({ statusCode: 409, code: 'NOT_EDITABLE' });
    expect(stored().length).toBe(before);
  });

  it('a stale If-Match is 412 and the file it brought is not kept; Idempotency-Key repeats answer the same', async () => {
    const { owner, id } = await next();
    const before = stored().length;
    const stale = await upload(
      h,
      id,
      owner,
      'business-licence',
      { name: 'a.pdf', content: samples.pdf() },
      { 'if-match': '"7"' },
    );
    expect(stale.status).toBe(412);
    expect(stored().length).toBe(before);

    const content = samples.pdf();
    const first = await upload(
      h,
      id,
      owner,
      'business-licence',
      { name: 'a.pdf', content },
      { 'idempotency-key': 'k1' },
    );
    const again = await upload(
      h,
      id,
      owner,
      'business-licence',
      { name: 'a.pdf', content },
      { 'idempotency-key': 'k1' },
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await upload(
      h,
      id,
      owner,
      'business-licence',
      { name: 'a.pdf', content: samples.pdf() },
      { 'idempotency-key': 'k1' },
    );
    expect(other.status).toBe(422);
    const list = await h.request('GET', `/v1/applications/${id}/materials`, { as: owner });
    expect(list.body.materials).toHaveLength(1);
    expect(stored().length).toBe(before + 1);
    // Still the same answer after the application moved on.
    expect((await h.request('POST', `/v1/applications/${id}/submit`, { as: owner })).status).toBe(200);
    const late = await upload(
      h,
      id,
      owner,
      'business-licence',
      { name: 'a.pdf', content },
      { 'idempotency-key': 'k1' },
    );
    expect(late.status).toBe(201);
    expect(late.body.id).toBe(first.body.id);
  });

  it('lets its enterprise, officers in reach and auditors read; others get 404', async () => {
    const { owner, id } = await next();
    const other = await next();
    const res = await upload(h, id, owner, 'audit-report', { name: '审计报告.pdf', content: samples.pdf() });
    const url = `/v1/applications/${id}/materials/${res.body.id}/content`;
    for (const who of [owner, xinwu, city, auditor])
      expect((await h.request('GET', url, { as: who })).status).toBe(200);
    for (const who of [other.owner, liangxi, expert]) {
      expect((await h.request('GET', url, { as: who })).status).toBe(404);
      expect((await h.request('GET', `/v1/applications/${id}/materials`, { as: who })).status).toBe(404);
    }
  });

  it('removes a material while draft (MaterialRemoved), keeping the file for the record', async () => {
    const { owner, id } = await next();
    const content = samples.pdf();
    const res = await upload(h, id, owner, 'business-licence', { name: 'x.pdf', content });
    const removed = await h.request('DELETE', `/v1/applications/${id}/materials/${res.body.id}`, {
      as: owner,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.materials).toEqual([]);
    expect(
      (await h.request('DELETE', `/v1/applications/${id}/materials/${res.body.id}`, { as: owner })).status,
    ).toBe(404);
    const history = await h.request('GET', `/v1/applications/${id}/history`, { as: auditor });
    expect(history.body.at(-1)).toMatchObject({
      type: 'MaterialRemoved',
      data: { materialId: res.body.id, sha256: sha256(content) },
    });
    expect(stored().some((path) => path.endsWith(sha256(content)))).toBe(true);
  });

  it('verify finds a stored file altered or missing, naming the application and material', async () => {
    const { owner, id } = await next();
    const content = samples.pdf(5 * KIB);
    const res = await upload(h, id, owner, 'rd-expense-audit', { name: '研发费用审计.pdf', content });
    expect((await h.request('GET', '/v1/audit/verify', { as: auditor })).body).toMatchObject({
      ok: true,
      materials: { ok: true, problems: [] },
    });
    const path = stored().find((p) => p.endsWith(sha256(content)))!;
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    bytes[100] ^= 0xff;
    writeFileSync(path, bytes);
    const altered = await h.request('GET', '/v1/audit/verify', { as: auditor });
    expect(altered.body.ok).toBe(false);
    expect(altered.body.materials.problems).toEqual([
      {
        applicationId: id,
        materialId: res.body.id,
        kind: 'rd-expense-audit',
        fileName: '研发费用审计.pdf',
        sha256: sha256(content),
        problem: 'altered',
        attached: true,
      },
    ]);
    // The download of an altered file does not complete.
    await expect(
      h.app.inject({
        method: 'GET',
        url: `/v1/applications/${id}/materials/${res.body.id}/content`,
        headers: { authorization: `Bearer ${await h.token(auditor)}` },
      }),
    ).rejects.toThrow(/destroyed before completion/);
    rmSync(path);
    const missing = await h.request('GET', '/v1/audit/verify', { as: auditor });
    expect(missing.body.materials.problems).toEqual([
      expect.objectContaining({ materialId: res.body.id, problem: 'missing' }),
    ]);
    writeFileSync(path, content);
  });
});

describe('required materials of the shipped policies', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startApi();
  }, 60_000);
  afterAll(() => h.close());

  const licence = { kind: 'business-licence', label: { zh: '营业执照', en: 'Business licence' } };
  const audit = {
    kind: 'audit-report',
    label: { zh: '上年度财务审计报告', en: 'Audited financial statements of the last year' },
  };
  const rdAudit = {
    kind: 'rd-expense-audit',
    label: { zh: '研发费用专项审计报告', en: 'Special audit of R&D expenses' },
  };
  const letter = {
    kind: 'commitment-letter',
    label: { zh: '申报承诺书（盖章）', en: 'Signed and sealed commitment letter' },
  };

  it('refuses submit (422) listing every missing item, and accepts it once all are attached', async () => {
    const { owner, id } = await applicant(h, await openEagletRound(h))();
    const submit = () =>
      h.request('POST', `/v1/applications/${id}/submit`, { as: owner, withoutMaterials: true });
    const refused = await submit();
    expect(refused.status).toBe(422);
    // Eaglet 2024 makes R&D of at least 3% of revenue a criterion: its special audit is required too.
    expect(refused.body).toMatchObject({
      code: 'MATERIALS_MISSING',
      explanation: { missing: [licence, audit, rdAudit, letter] },
    });
    expect(refused.body.message).toContain('营业执照');
    expect(refused.body.message).toContain('申报承诺书');
    const list = await h.request('GET', `/v1/applications/${id}/materials`, { as: owner });
    expect(list.body.missing).toEqual([licence, audit, rdAudit, letter]);
    expect(list.body.requirements.find((r: { kind: string }) => r.kind === 'ip-certificates').required).toBe(
      false,
    );

    for (const kind of ['business-licence', 'audit-report', 'commitment-letter']) {
      expect((await upload(h, id, owner, kind, { name: `${kind}.pdf`, content: samples.pdf() })).status).toBe(
        201,
      );
    }
    const stillRefused = await submit();
    expect(stillRefused.status).toBe(422);
    expect(stillRefused.body.explanation.missing).toEqual([rdAudit]);
    expect(stillRefused.body.message).toContain('研发费用专项审计报告');

    expect(
      (await upload(h, id, owner, 'rd-expense-audit', { name: '研发审计.ofd', content: samples.ofd() }))
        .status,
    ).toBe(201);
    expect((await submit()).status).toBe(200);
  });
});
