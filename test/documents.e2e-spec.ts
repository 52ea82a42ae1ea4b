import { Workbook } from 'exceljs';
import mammoth from 'mammoth';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { EngineDriver, officerOf } from '../apps/demo/src/engine-driver';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

const CITY = 'js.wuxi';
const auditor: Principal = { sub: 'auditor-docs', role: 'auditor' };
const objector = { name: '张三', idNumber: '11010519491231002X', phone: '13800138000' };

/**
 * The official documents of an eaglet round: document numbers on the publicity and the
 * admission notice (unique per bureau and year), the lists as XLSX and CSV and the notices as
 * DOCX read back with libraries, the same bytes for the same events, and the list as it stood
 * before an upheld objection.
 */
describe('official documents', () => {
  let h: Harness;
  let d: EngineDriver;
  let roundId: string;
  const apps: string[] = [];
  const names = ['无锡文书甲科技有限公司', '无锡文书乙科技有限公司', '无锡文书丙科技有限公司'];
  const districts = ['js.wuxi.xinwu', 'js.wuxi.xinwu', 'js.wuxi.liangxi'];
  let beforeUpheld: string;

  async function download(url: string, as: Principal = auditor) {
    const res = await h.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${await h.token(as)}` },
    });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, json: () => res.json() };
  }

  async function rows(bytes: Buffer): Promise<unknown[][]> {
    const workbook = new Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const out: unknown[][] = [];
    workbook.worksheets[0].eachRow((row, n) => (out[n] = (row.values as unknown[]).slice(1)));
    return out;
  }

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    roundId = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '2026年度无锡市雏鹰企业第一批',
      jurisdiction: CITY,
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    });
    await d.registerExperts('doc-e', 16, 3);
    for (const [i, name] of names.entries()) {
      const code = creditCode(`91320214MD${String(i + 1).padStart(7, '0')}`);
      await d.registerEnterprise({
        creditCode: code,
        name,
        jurisdiction: districts[i],
        establishedOn: '2020-05-20',
      });
      apps.push(await d.apply(code, roundId, eagletData(i)));
      await d.passReviews(apps[i], districts[i], CITY);
      expect(await d.scoreAll(apps[i], await d.drawPanel(apps[i], CITY), 85)).toBe('passed');
    }
    h.clock.set(new Date('2026-04-30T10:00:00Z')); // after the window closed
  }, 90_000);
  afterAll(() => h.close());

  it('records a publicity notice number, normalising its brackets, and refuses malformed ones', async () => {
    const bad = await h.request('POST', `/v1/rounds/${roundId}/publicity`, {
      as: officerOf(CITY),
      body: { documentNumber: '锡科发2026-12号' },
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const wrongYear = await h.request('POST', `/v1/rounds/${roundId}/publicity`, {
      as: officerOf(CITY),
      body: { documentNumber: '锡科发〔2025〕12号' },
    });
    expect(wrongYear).toMatchObject({ status: 400, body: { code: 'DOCUMENT_NUMBER_INVALID' } });
    const started = await h.request('POST', `/v1/rounds/${roundId}/publicity`, {
      as: officerOf(CITY),
      body: { documentNumber: '锡科发【2026】012号' },
    });
    expect(started).toMatchObject({ status: 200, body: { documentNumber: '锡科发〔2026〕12号' } });
    await h.settle();
    const history = (
      await h.request('GET', `/v1/audit/events?type=PublicityStarted&stream=round-${roundId}`, {
        as: auditor,
      })
    ).body;
    expect(history.events[0].data).toMatchObject({
      documentNumber: '锡科发〔2026〕12号',
      issuer: '无锡市科学技术局',
    });
  });

  it('serves the publicity list as XLSX and CSV and the notice as DOCX', async () => {
    const xlsx = await download(`/v1/rounds/${roundId}/documents/publicity-list.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('2026年度无锡市雏鹰企业第一批拟入库企业名单.xlsx')}`,
    );
    const sheet = await rows(xlsx.bytes);
    expect(sheet[1][0]).toBe('2026年度无锡市雏鹰企业第一批拟入库企业名单');
    expect(sheet[2][0]).toContain('文号：锡科发〔2026〕12号');
    expect(sheet[2][0]).toContain('公示期：2026年4月30日至');
    expect(sheet[3][0]).toBe('无锡市科学技术局　雏鹰企业　公示企业3家');
    // liangxi sorts before xinwu: one enterprise, its subtotal, then two and theirs, then the total.
    expect(sheet[5].slice(1, 3)).toEqual(['js.wuxi.liangxi', names[2]]);
    expect(sheet[6]).toEqual(expect.arrayContaining(['js.wuxi.liangxi 小计', '1家']));
    expect(sheet[9]).toEqual(expect.arrayContaining(['js.wuxi.xinwu 小计', '2家']));
    expect(sheet[10]).toEqual(expect.arrayContaining(['合计', '3家']));

    const csv = await download(`/v1/rounds/${roundId}/documents/publicity-list.csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { fatal: true })
      .decode(csv.bytes.subarray(3))
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(names[2]);

    const docx = await download(`/v1/rounds/${roundId}/documents/publicity-notice.docx`);
    expect(docx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const { value } = await mammoth.extractRawText({ buffer: docx.bytes });
    expect(value).toContain('锡科发〔2026〕12号');
    expect(value).toContain('关于2026年度无锡市雏鹰企业第一批拟入库企业名单的公示');
    expect(value).toContain('拟将3家企业列入名单');
    for (const name of names) expect(value).toContain(name);
    expect(value).toMatch(/无锡市科学技术局\s+2026年4月30日\s*$/);
  });

  it('gives the list as it stood before an upheld objection when asked as of then', async () => {
    h.clock.set(new Date('2026-05-06T02:00:00Z'));
    const raised = await h.request('POST', `/v1/applications/${apps[2]}/objections`, {
      body: { objector, grounds: '该企业研发费用数据与年报不一致', evidence: ['年报第3页'] },
    });
    expect(raised.status).toBe(201);
    beforeUpheld = '2026-05-06T03:00:00.000Z';
    h.clock.set(new Date('2026-05-07T02:00:00Z'));
    const resolved = await h.request('POST', `/v1/objections/${raised.body.id}/resolution`, {
      as: officerOf(CITY),
      body: { upheld: true, reason: '经核查异议属实' },
    });
    expect(resolved.status).toBe(200);
    const now = await rows((await download(`/v1/rounds/${roundId}/documents/publicity-list.xlsx`)).bytes);
    expect(now[3][0]).toBe('无锡市科学技术局　雏鹰企业　公示企业3家，异议成立移出1家，现名单2家');
    expect(JSON.stringify(now)).not.toContain(names[2]);
    const then = await download(
      `/v1/rounds/${roundId}/documents/publicity-list.xlsx?asOf=${encodeURIComponent(beforeUpheld)}`,
    );
    const earlier = await rows(then.bytes);
    expect(earlier[3][0]).toBe('无锡市科学技术局　雏鹰企业　公示企业3家');
    expect(JSON.stringify(earlier)).toContain(names[2]);
    expect(earlier[2][0]).toContain(`（截至${beforeUpheld}的记录）`);
    const beforePublicity = await download(
      `/v1/rounds/${roundId}/documents/publicity-list.xlsx?asOf=2026-04-01T00:00:00Z`,
    );
    expect(beforePublicity).toMatchObject({ status: 404 });
    expect(beforePublicity.json()).toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
  });

  it('numbers the admission notice once, refuses a number the bureau already used, and serves the final list', async () => {
    const round = await d.round(roundId);
    await h.advanceTo(`${round.publicity.endsOn}T16:00:00Z`); // publicity over: the saga finalizes
    expect((await d.round(roundId)).status).toBe('finalized');
    const duplicate = await h.request('POST', `/v1/rounds/${roundId}/admission-notice`, {
      as: officerOf(CITY),
      body: { documentNumber: '锡科发〔2026〕12号' },
    });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'DOCUMENT_NUMBER_TAKEN' } });
    const other = await h.request('POST', `/v1/rounds/${roundId}/admission-notice`, {
      as: officerOf('js.wuxi.liangxi'),
      body: { documentNumber: '锡科发〔2026〕30号' },
    });
    expect(other.status).toBe(404);
    const issued = await h.request('POST', `/v1/rounds/${roundId}/admission-notice`, {
      as: officerOf(CITY),
      body: { documentNumber: '锡科发〔2026〕30号' },
    });
    expect(issued).toMatchObject({ status: 200, body: { documentNumber: '锡科发〔2026〕30号' } });
    const again = await h.request('POST', `/v1/rounds/${roundId}/admission-notice`, {
      as: officerOf(CITY),
      body: { documentNumber: '锡科发〔2026〕31号' },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'NOTICE_NUMBERED' } });

    const final = await rows((await download(`/v1/rounds/${roundId}/documents/final-list.xlsx`)).bytes);
    expect(final[1][0]).toBe('2026年度无锡市雏鹰企业第一批入库企业名单');
    expect(final[2][0]).toContain('文号：锡科发〔2026〕30号');
    expect(final[3][0]).toBe('无锡市科学技术局　雏鹰企业　公示企业3家，异议成立移出1家，入库企业2家');
    const notice = await download(`/v1/rounds/${roundId}/documents/admission-notice.docx`, officerOf(CITY));
    const { value } = await mammoth.extractRawText({ buffer: notice.bytes });
    expect(value).toContain('锡科发〔2026〕30号');
    expect(value).toContain('关于公布2026年度无锡市雏鹰企业第一批入库企业名单的通知');
    expect(value).toContain('入库企业2家');
    expect(value).not.toContain(names[2]);
  });

  it('gives byte-identical files for the same events, whenever they are asked for', async () => {
    const urls = ['final-list.xlsx', 'admission-notice.docx', 'publicity-notice.docx', 'final-list.csv'].map(
      (name) => `/v1/rounds/${roundId}/documents/${name}`,
    );
    const first = await Promise.all(urls.map((url) => download(url)));
    h.clock.set(new Date('2026-07-01T08:00:00Z'));
    const second = await Promise.all(urls.map((url) => download(url, officerOf(CITY))));
    for (let i = 0; i < urls.length; i++) expect(second[i].bytes.equals(first[i].bytes)).toBe(true);
  });

  it('serves documents to officers over the round and auditors only', async () => {
    const url = `/v1/rounds/${roundId}/documents/final-list.xlsx`;
    expect((await download(url, officerOf('js.wuxi.liangxi'))).status).toBe(404);
    expect((await download(url, officerOf('js.suzhou'))).status).toBe(404);
    expect(
      (await download(url, { sub: 'e', role: 'enterprise', org: creditCode('91320214MD0000001') })).status,
    ).toBe(403);
    expect((await download(`/v1/rounds/${roundId}/documents/secret.xlsx`)).status).toBe(404);
  });

  it('describes the downloads in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs-json' })).json();
    const route = doc.paths['/v1/rounds/{id}/documents/{name}'].get;
    expect(route.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'name',
          schema: expect.objectContaining({
            enum: expect.arrayContaining(['publicity-list.xlsx', 'admission-notice.docx']),
          }),
        }),
      ]),
    );
    expect(Object.keys(route.responses['200'].content)).toEqual(
      expect.arrayContaining([
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'text/csv; charset=utf-8',
      ]),
    );
    expect(doc.paths['/v1/statistics/applications.xlsx'].get).toBeDefined();
    expect(doc.paths['/v1/rounds/{id}/admission-notice'].post).toBeDefined();
  });

  it("counts the year's applications by programme, district and status, as JSON and XLSX", async () => {
    const stats = (await download('/v1/statistics/applications?year=2026')).json();
    expect(stats).toMatchObject({ year: 2026, total: 3, byStatus: { admitted: 2, rejected: 1 } });
    expect(stats.byProgramme).toEqual([
      expect.objectContaining({
        programme: 'eaglet',
        total: 3,
        byDistrict: [
          expect.objectContaining({ jurisdiction: 'js.wuxi.liangxi', total: 1, byStatus: { rejected: 1 } }),
          expect.objectContaining({ jurisdiction: 'js.wuxi.xinwu', total: 2, byStatus: { admitted: 2 } }),
        ],
      }),
    ]);
    const district = (
      await download('/v1/statistics/applications?year=2026', officerOf('js.wuxi.xinwu'))
    ).json();
    expect(district).toMatchObject({ within: 'js.wuxi.xinwu', total: 2 });
    expect(
      (
        await download(
          '/v1/statistics/applications?year=2026&jurisdiction=js.wuxi',
          officerOf('js.wuxi.xinwu'),
        )
      ).status,
    ).toBe(403);
    expect((await download('/v1/statistics/applications?year=twenty')).status).toBe(400);
    const xlsx = await download('/v1/statistics/applications.xlsx?year=2026');
    expect(xlsx.headers['content-disposition']).toContain(
      encodeURIComponent('2026年度企业培育库申报统计表.xlsx'),
    );
    const table = await rows(xlsx.bytes);
    expect(table[1][0]).toBe('2026年度企业培育库申报统计表');
    expect(table[3]).toEqual(expect.arrayContaining(['项目', '所在区域', '已入库', '未通过', '合计']));
    const total = table.find((row) => row?.[0] === '合计')!;
    expect(total[total.length - 1]).toBe(3);
  });
});
