import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { samples, upload } from './support/materials';

/**
 * The production adapter behind the API: BLOB_STORE=postgres in a database of its own. Upload,
 * download and verify work as on disk; altering a stored chunk is found by verify.
 */
const server = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `materials_e2e_${randomBytes(5).toString('hex')}`;
const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const auditor = { sub: 'auditor-1', role: 'auditor' as const };

describe('materials on the PostgreSQL blob store', () => {
  const admin = new Pool({ connectionString: server, max: 1 });
  let h: Harness;
  let url: string;

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${database}`);
    const target = new URL(server);
    target.pathname = `/${database}`;
    url = target.toString();
    h = await startApi({ env: { BLOB_STORE: 'postgres', BLOB_STORE_URL: url } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('stores, serves and verifies a file, and verify finds it altered in the database', async () => {
    const code = creditCode('91320214ME0000001');
    const owner = { sub: `ent-${code}`, role: 'enterprise' as const, org: code };
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: 'PostgreSQL 材料测试批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    await h.request('POST', '/v1/enterprises', {
      as: owner,
      body: {
        creditCode: code,
        name: '数据库材料测试有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    const app = await h.request('POST', '/v1/applications', {
      as: owner,
      body: { roundId: round.body.id, creditCode: code, data: eagletData() },
    });
    const content = samples.pdf(3 * 1024 * 1024);
    const res = await upload(h, app.body.id, owner, 'audit-report', { name: '审计报告.pdf', content });
    expect(res.status).toBe(201);
    const download = await h.app.inject({
      method: 'GET',
      url: res.body.href,
      headers: { authorization: `Bearer ${await h.token(auditor)}` },
    });
    expect(download.rawPayload.equals(content)).toBe(true);
    expect((await h.request('GET', '/v1/audit/verify', { as: auditor })).body.ok).toBe(true);

    const db = new Pool({ connectionString: url, max: 1 });
    try {
      const changed = await db.query(
        `UPDATE blob_store.blob_chunks SET data = set_byte(data, 10, (get_byte(data, 10) + 1) % 256) WHERE blob = $1 AND seq = 2`,
        [res.body.sha256],
      );
      expect(changed.rowCount).toBe(1);
    } finally {
      await db.end();
    }
    const verify = await h.request('GET', '/v1/audit/verify', { as: auditor });
    expect(verify.body.ok).toBe(false);
    expect(verify.body.materials.problems).toEqual([
      expect.objectContaining({ applicationId: app.body.id, materialId: res.body.id, problem: 'altered' }),
    ]);
  });
});
