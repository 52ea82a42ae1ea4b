import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { verifyExport } from '../apps/cli/src/commands/verify-export.command';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { SAMPLE_MATERIAL_PDF } from '../apps/demo/src/sample-material';
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

/** Unpacks a .tar.gz into a new directory; returns the directory and the names it held. */
async function untar(bytes: Buffer): Promise<{ dir: string; names: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'audit-bundle-'));
  const names: string[] = [];
  const unpack = extract();
  const done = new Promise<void>((resolve, reject) => {
    unpack.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        names.push(header.name);
        const target = join(dir, header.name);
        mkdir(dirname(target), { recursive: true })
          .then(() => writeFile(target, Buffer.concat(chunks)))
          .then(() => next(), reject);
      });
    });
    unpack.on('finish', resolve);
    unpack.on('error', reject);
  });
  unpack.end(gunzipSync(bytes));
  await done;
  return { dir, names };
}

/** The NDJSON lines of a streamed answer. */
const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { phase: string; done?: number; total?: number; result?: unknown });

/** The four files eaglet 2024 requires, attached (by the harness) before submit. */
const MATERIALS = 4;
const ATTACHED = Array<string>(MATERIALS).fill('MaterialAttached');
/** The recommendation's revision: after the creation, the materials and the submission. */
const RECOMMENDED = MATERIALS + 2;

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
      ...ATTACHED,
      'ApplicationSubmitted',
      'ApplicationRecommended',
    ]);
    const positions = events.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({
      stream: `application-${applicationId}`,
      revision: RECOMMENDED,
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
    expect(stream.map((e) => e.revision)).toEqual(Array.from({ length: RECOMMENDED + 1 }, (_, i) => i));
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
      ...ATTACHED,
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

  it('streams the verification as it goes: events, then files, then the same result as /verify', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/v1/audit/verify/progress',
      headers: { authorization: `Bearer ${await h.token(auditor)}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const sent = lines(res.body);
    expect(sent[0]).toMatchObject({ phase: 'chains', total: expect.any(Number) });
    expect(sent.filter((l) => l.phase === 'chains').at(-1)).toMatchObject({ done: sent[0].total });
    expect(sent.find((l) => l.phase === 'materials')).toEqual({
      phase: 'materials',
      done: 0,
      total: MATERIALS,
    });
    expect(sent.at(-1)).toEqual({
      phase: 'done',
      result: (await h.request('GET', '/v1/audit/verify', { as: auditor })).body,
    });
  });

  it('downloads the export bundle as a .tar.gz that verify-export passes offline', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: `/v1/audit/export?from=${encodeURIComponent(midway)}`,
      headers: { authorization: `Bearer ${await h.token(auditor)}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="event-export-\d{8}T\d{6}Z\.tar\.gz"$/,
    );
    const { dir, names } = await untar(res.rawPayload);
    try {
      const root = names[0].split('/')[0];
      // The four required materials are the same small PDF: one file, named by its digest.
      expect(names.filter((n) => !n.endsWith('/')).sort()).toEqual([
        `${root}/context.jsonl`,
        `${root}/events-000001.jsonl`,
        `${root}/manifest.json`,
        `${root}/materials/${createHash('sha256').update(SAMPLE_MATERIAL_PDF).digest('hex')}`,
      ]);
      const manifest = JSON.parse(readFileSync(join(dir, root, 'manifest.json'), 'utf8'));
      // From midway: the recommendation alone, with its stream's earlier events as context.
      expect(manifest.counts).toMatchObject({ events: 1, context: RECOMMENDED, streams: 1 });
      expect(res.headers['x-manifest-sha256']).toBe(
        createHash('sha256')
          .update(readFileSync(join(dir, root, 'manifest.json')))
          .digest('hex'),
      );
      expect(await verifyExport(join(dir, root))).toMatchObject({
        ok: true,
        problems: [],
        events: 1,
        context: RECOMMENDED,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const bad = await h.request('GET', '/v1/audit/export?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', {
      as: auditor,
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const officer = await h.request('GET', '/v1/audit/export', { as: city });
    expect(officer.status).toBe(403);
  });

  it('proves the record intact, and names the first altered event', async () => {
    const ok = await h.request('GET', '/v1/audit/verify', { as: auditor });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      ok: true,
      streams: 3,
      events: 5 + MATERIALS,
      materials: {
        ok: true,
        materials: MATERIALS,
        evidenceFiles: 0,
        files: 1,
        problems: [],
        evidenceProblems: [],
      },
    });

    // Someone edits the stored reason of the review behind the engine's back.
    const file = new Database(join(h.dataDir, 'events.sqlite'));
    try {
      file
        .prepare(`UPDATE events SET data = ? WHERE stream = ? AND revision = ${RECOMMENDED}`)
        .run(JSON.stringify({ reason: '不同意', stage: 'district' }), `application-${applicationId}`);
    } finally {
      file.close();
    }
    const broken = await h.request('GET', '/v1/audit/verify', { as: admin });
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({
      ok: false,
      events: 5 + MATERIALS,
      firstBreak: { stream: `application-${applicationId}`, revision: RECOMMENDED },
    });
  });

  it('refuses to export a broken record (409), and the streamed verification ends on the break', async () => {
    // The previous test altered the recommendation's stored data.
    const refused = await h.request('GET', '/v1/audit/export', { as: auditor });
    expect([refused.status, refused.body.code]).toEqual([409, 'EXPORT_REFUSED']);
    const res = await h.app.inject({
      method: 'GET',
      url: '/v1/audit/verify/progress',
      headers: { authorization: `Bearer ${await h.token(admin)}` },
    });
    expect(lines(res.body).at(-1)).toMatchObject({
      phase: 'done',
      result: { ok: false, firstBreak: { stream: `application-${applicationId}`, revision: RECOMMENDED } },
    });
  });
});
