import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectOrphanBlobs } from '@engine/incubation';
import { EventStore } from '@engine/event-store';
import type { Principal } from '@engine/platform';
import { BlobStore } from '@engine/platform/blob-store';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { filesUnder, multipart, samples } from './support/materials';
import { expectMatches } from './support/openapi-contract';
import { roundInPublicity } from './support/publicity';

/**
 * An objection's evidence as files (docs/materials.md, "Objection evidence"): uploaded without
 * signing in while the application is publicised, with a material's limits and magic-byte
 * typing, named by digest in ObjectionRaised, and read back by the officers in reach and auditors.
 */
const CITY: Principal = { sub: 'officer-wuxi', role: 'officer', jurisdiction: 'js.wuxi' };
const OTHER_CITY: Principal = { sub: 'officer-suzhou', role: 'officer', jurisdiction: 'js.suzhou' };
const AUDITOR: Principal = { sub: 'auditor-1', role: 'auditor' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const KIB = 1024;

describe('objection evidence files', () => {
  let h: Harness;
  let applicationId: string;
  let address = 0;

  /** Each call from another address: the strict per-address limit is not what is tested here. */
  const from = () => `10.9.0.${++address}`;
  const uploadEvidence = async (name: string, content: Buffer) => {
    const { body, contentType } = multipart({}, { name, content });
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/applications/${applicationId}/objections/evidence`,
      headers: { 'content-type': contentType },
      payload: body,
      remoteAddress: from(),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const blobs = () => filesUnder(join(h.dataDir, 'blobs', 'sha256'));

  beforeAll(async () => {
    h = await startApi({
      now: '2026-04-01T02:00:00.000Z',
      env: { MATERIAL_MAX_FILE_BYTES: String(64 * KIB) },
    });
    ({ applicationId } = await roundInPublicity(h, {
      batch: 3,
      title: '2026年度雏鹰企业第三批',
      name: '无锡异议证据测试有限公司',
      seed: 'oe',
      serial: 5151,
    }));
  }, 120_000);
  afterAll(() => h.close());

  it('takes a file without sign-in, typed by its content, and answers its digest', async () => {
    const content = samples.pdf(8 * KIB);
    const res = await uploadEvidence('银行流水.pdf', content);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      sha256: sha256(content),
      fileName: '银行流水.pdf',
      mediaType: 'application/pdf',
      size: content.length,
    });
    await expectMatches(h, 'POST', '/v1/applications/{id}/objections/evidence', 201, res.body);
  });

  it('refuses a file that is not PDF, OFD, JPEG or PNG (415) or too large (413), leaving nothing', async () => {
    const before = blobs().length;
    const text = await uploadEvidence('证据.pdf', Buffer.from('just text, whatever the name says'));
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const large = await uploadEvidence('扫描件.png', samples.png(65 * KIB));
    expect(large.status).toBe(413);
    expect(large.body.code).toBe('FILE_TOO_LARGE');
    expect(blobs().length).toBe(before);
    expect(filesUnder(join(h.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('refuses an upload for an application not in publicity (409)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/applications/00000000-0000-4000-8000-000000000000/objections/evidence',
      ...(() => {
        const { body, contentType } = multipart({}, { name: 'a.pdf', content: samples.pdf() });
        return { headers: { 'content-type': contentType }, payload: body };
      })(),
      remoteAddress: from(),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('OUTSIDE_PUBLICITY');
  });

  it('files an organisation’s objection with its seal image and a document; officers in reach and auditors download them; verify finds one altered and its download does not complete', async () => {
    const seal = samples.png(4 * KIB);
    const statement = samples.pdf(6 * KIB);
    const sealFile = await uploadEvidence('公章.png', seal);
    const statementFile = await uploadEvidence('情况说明.pdf', statement);
    const organization = {
      name: '无锡同业竞争科技有限公司',
      creditCode: creditCode('91320214MA1XRG002'),
      sealImage: `sha256:${sealFile.body.sha256}`,
      contact: { name: '王五', phone: '13700137000' },
    };
    const unknown = await h.request('POST', `/v1/applications/${applicationId}/objections`, {
      body: {
        organization,
        grounds: '该企业知识产权权属存在争议',
        evidence: [],
        evidenceFiles: [{ sha256: sha256(Buffer.from('never uploaded')), fileName: 'x.pdf' }],
      },
      remoteAddress: from(),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('EVIDENCE_FILE_UNKNOWN');
    const raised = await h.request('POST', `/v1/applications/${applicationId}/objections`, {
      body: {
        organization,
        grounds: '该企业知识产权权属存在争议，已提起诉讼',
        evidence: [],
        evidenceFiles: [
          { sha256: sealFile.body.sha256, fileName: '公章.png' },
          { sha256: statementFile.body.sha256, fileName: '情况说明.pdf' },
        ],
      },
      remoteAddress: from(),
    });
    expect(raised.status).toBe(201);
    const id = raised.body.id as string;

    const view = await h.request('GET', `/v1/objections/${id}`, { as: CITY });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      objectorKind: 'organization',
      evidence: [`sha256:${sealFile.body.sha256}`],
      evidenceFiles: [
        {
          sha256: sealFile.body.sha256,
          fileName: '公章.png',
          mediaType: 'image/png',
          size: seal.length,
          href: `/v1/objections/${id}/evidence/${sealFile.body.sha256}`,
        },
        { sha256: statementFile.body.sha256, fileName: '情况说明.pdf', mediaType: 'application/pdf' },
      ],
    });

    for (const reader of [CITY, AUDITOR]) {
      const res = await h.app.inject({
        method: 'GET',
        url: view.body.evidenceFiles[1].href,
        headers: { authorization: `Bearer ${await h.token(reader)}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain(
        `filename*=UTF-8''${encodeURIComponent('情况说明.pdf')}`,
      );
      expect(res.rawPayload.equals(statement)).toBe(true);
    }
    // Outside reach, an enterprise, nobody signed in: not theirs to read.
    const outside = await h.request('GET', view.body.evidenceFiles[0].href, { as: OTHER_CITY });
    expect(outside.status).toBe(404);
    const enterprise = await h.request('GET', view.body.evidenceFiles[0].href, {
      as: { sub: 'ent-x', role: 'enterprise', org: organization.creditCode },
    });
    expect(enterprise.status).toBe(403);
    expect((await h.request('GET', view.body.evidenceFiles[0].href)).status).toBe(401);

    // The contact person stays sealed in the record: no plaintext phone in the event.
    const events = await h.request('GET', '/v1/audit/events?type=ObjectionRaised&limit=100', { as: AUDITOR });
    expect(JSON.stringify(events.body)).not.toContain('13700137000');
    expect(events.body.events.at(-1).data.evidenceFiles).toHaveLength(2);

    // Files an objection names are never orphans; one uploaded and never filed is.
    const stray = await uploadEvidence('未提交.jpg', samples.jpeg());
    const found = await collectOrphanBlobs(h.app.get(EventStore).backend, h.app.get(BlobStore), {
      graceMs: 0,
      now: new Date(Date.now() + 1000),
      remove: false,
    });
    const orphans = found.orphans.map((o) => o.digest);
    expect(orphans).toContain(stray.body.sha256);
    expect(orphans).not.toContain(sealFile.body.sha256);
    expect(orphans).not.toContain(statementFile.body.sha256);

    // An evidence file altered on disk is found by verify, named by round, objection and file.
    expect((await h.request('GET', '/v1/audit/verify', { as: AUDITOR })).body).toMatchObject({
      ok: true,
      materials: { ok: true, evidenceFiles: 2, evidenceProblems: [] },
    });
    const path = blobs().find((p) => p.endsWith(statementFile.body.sha256))!;
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    bytes[200] ^= 0xff;
    writeFileSync(path, bytes);
    const verified = await h.request('GET', '/v1/audit/verify', { as: AUDITOR });
    expect(verified.body.ok).toBe(false);
    expect(verified.body.materials.problems).toEqual([]);
    expect(verified.body.materials.evidenceProblems).toEqual([
      {
        roundId: expect.any(String),
        objectionId: id,
        applicationId,
        fileName: '情况说明.pdf',
        sha256: statementFile.body.sha256,
        problem: 'altered',
      },
    ]);
    // Nor does its download complete, as a material's would not.
    await expect(
      h.app.inject({
        method: 'GET',
        url: view.body.evidenceFiles[1].href,
        headers: { authorization: `Bearer ${await h.token(AUDITOR)}` },
      }),
    ).rejects.toThrow(/destroyed before completion/);
  });
});
