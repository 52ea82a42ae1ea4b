import { Workbook } from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import type { RoundDocumentModel } from '../use-cases/get-round-document/get-round-document.query';
import { roundNoticeDocument } from './notice.docx';
import { roundListCsv } from './round-list.csv';
import { roundListWorkbook } from './round-list.xlsx';

const publicity: RoundDocumentModel = {
  stage: 'publicity',
  roundId: '0b9c8e1e-2f4a-4b8e-9d1c-1a2b3c4d5e6f',
  programme: 'eaglet',
  year: 2026,
  batch: 1,
  title: '2026年度雏鹰企业第一批',
  jurisdiction: 'js.wuxi',
  policyVersion: 'eaglet/wuxi-2024',
  issuer: '无锡市科学技术局',
  documentNumber: '锡科发〔2026〕12号',
  issuedOn: '2026-05-06',
  publicity: { startsOn: '2026-05-06', endsOn: '2026-05-20', workingDays: 10 },
  final: null,
  published: 3,
  removed: 0,
  entries: [
    {
      no: 1,
      applicationId: 'a1',
      creditCode: '91320214MA1XK0001X',
      name: '无锡芯动微电子科技有限公司',
      score: '82.4',
      district: 'js.wuxi.binhu',
    },
    {
      no: 2,
      applicationId: 'a2',
      creditCode: '91320214MA1XK0002X',
      name: '=HYPERLINK("x")科技有限公司',
      score: '75.0',
      district: 'js.wuxi.xinwu',
    },
    {
      no: 3,
      applicationId: 'a3',
      creditCode: '91320214MA1XK0003X',
      name: '无锡"量子"传感有限公司',
      score: null,
      district: 'js.wuxi.xinwu',
    },
  ],
  districts: [
    { district: 'js.wuxi.binhu', count: 1 },
    { district: 'js.wuxi.xinwu', count: 2 },
  ],
  changedAt: '2026-05-06T02:00:00.000Z',
  asOf: null,
};

const final: RoundDocumentModel = {
  ...publicity,
  stage: 'final',
  documentNumber: '锡科发〔2026〕30号',
  issuedOn: '2026-05-21',
  final: { finalizedOn: '2026-05-21', outcome: 'admit' },
  removed: 1,
  entries: publicity.entries.slice(0, 2),
  districts: [
    { district: 'js.wuxi.binhu', count: 1 },
    { district: 'js.wuxi.xinwu', count: 1 },
  ],
  changedAt: '2026-05-21T01:00:00.000Z',
};

async function sheetRows(bytes: Buffer): Promise<{ workbook: Workbook; rows: unknown[][] }> {
  const workbook = new Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row, n) => (rows[n] = (row.values as unknown[]).slice(1)));
  return { workbook, rows };
}

describe('official documents of a round', () => {
  it('the publicity list workbook has the title, the document number, the list by district with subtotals and the total', async () => {
    const { workbook, rows } = await sheetRows(await roundListWorkbook(publicity));
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('拟入库名单');
    expect(rows[1][0]).toBe('2026年度雏鹰企业第一批拟入库企业名单');
    expect(rows[2][0]).toBe('文号：锡科发〔2026〕12号　公示期：2026年5月6日至2026年5月20日（10个工作日）');
    expect(rows[3][0]).toBe('无锡市科学技术局　雏鹰企业　公示企业3家');
    expect(rows[4]).toEqual(['序号', '所在区域', '企业名称', '统一社会信用代码', '专家评审得分']);
    expect(rows[5]).toEqual([1, 'js.wuxi.binhu', '无锡芯动微电子科技有限公司', '91320214MA1XK0001X', '82.4']);
    expect(rows[6][0]).toBe('js.wuxi.binhu 小计');
    expect(rows[6][3]).toBe('1家');
    // A name that looks like a formula stays text in the workbook.
    expect(rows[7][2]).toBe('=HYPERLINK("x")科技有限公司');
    expect(rows[9][0]).toBe('js.wuxi.xinwu 小计');
    expect(rows[9][3]).toBe('2家');
    expect(rows[10][0]).toBe('合计');
    expect(rows[10][3]).toBe('3家');
    // Fit for printing: A4 portrait, one page wide, header row repeated, widths set.
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
    });
    expect(sheet.pageSetup.printTitlesRow).toBe('4:4');
    expect(sheet.columns.map((c) => c.width)).toEqual([6, 18, 44, 24, 13]);
    expect(workbook.created.toISOString()).toBe('2026-05-06T02:00:00.000Z');
    expect(workbook.modified.toISOString()).toBe('2026-05-06T02:00:00.000Z');
  });

  it('the final list workbook carries the final counts and its own document number', async () => {
    const { workbook, rows } = await sheetRows(await roundListWorkbook(final));
    expect(workbook.worksheets[0].name).toBe('入库名单');
    expect(rows[1][0]).toBe('2026年度雏鹰企业第一批入库企业名单');
    expect(rows[2][0]).toContain('文号：锡科发〔2026〕30号');
    expect(rows[2][0]).toContain('定稿日期：2026年5月21日');
    expect(rows[3][0]).toBe('无锡市科学技术局　雏鹰企业　公示企业3家，异议成立移出1家，入库企业2家');
    expect(rows[9][0]).toBe('合计');
    expect(rows[9][3]).toBe('2家');
  });

  it('the CSV starts with the UTF-8 byte-order mark, quotes what needs it and defuses formulas', async () => {
    const bytes = await roundListCsv(publicity);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('序号,所在区域,企业名称,统一社会信用代码,专家评审得分');
    expect(lines[1]).toBe('1,js.wuxi.binhu,无锡芯动微电子科技有限公司,91320214MA1XK0001X,82.4');
    expect(lines[2]).toBe(`2,js.wuxi.xinwu,"'=HYPERLINK(""x"")科技有限公司",91320214MA1XK0002X,75.0`);
    expect(lines[3]).toBe('3,js.wuxi.xinwu,"无锡""量子""传感有限公司",91320214MA1XK0003X,');
    expect(lines[4]).toBe('');
  });

  it('the publicity notice has the document number, title, counts, period, the list as a table, the bureau and the date', async () => {
    const bytes = await roundNoticeDocument(publicity);
    const { value } = await mammoth.extractRawText({ buffer: bytes });
    const paragraphs = value.split('\n').filter((line) => line.trim() !== '');
    expect(paragraphs[0]).toBe('锡科发〔2026〕12号');
    expect(paragraphs[1]).toBe('关于2026年度雏鹰企业第一批拟入库企业名单的公示');
    expect(value).toContain('拟将3家企业列入名单');
    expect(value).toContain('公示期：2026年5月6日至2026年5月20日（10个工作日）。');
    expect(paragraphs.slice(-2)).toEqual(['无锡市科学技术局', '2026年5月6日']);
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    expect(xml.match(/<w:tr[ >]/g)).toHaveLength(4); // header + three enterprises
    expect(value).toContain('91320214MA1XK0003X');
    expect(value).toContain('无锡"量子"传感有限公司');
    const core = await (await JSZip.loadAsync(bytes)).file('docProps/core.xml')!.async('string');
    expect(core).toContain('2026-05-06T02:00:00.000Z');
  });

  it('the admission notice states the counts after objections', async () => {
    const { value } = await mammoth.extractRawText({ buffer: await roundNoticeDocument(final) });
    expect(value).toContain('锡科发〔2026〕30号');
    expect(value).toContain('关于公布2026年度雏鹰企业第一批入库企业名单的通知');
    expect(value).toContain('公示企业3家，异议成立移出1家，入库企业2家');
    expect(value).toContain('2026年5月21日');
    expect(value).not.toContain('91320214MA1XK0003X');
  });

  it('the same model gives the same bytes, whatever the clock says when it is rendered', async () => {
    // Only Date is faked: the zip libraries' own scheduling keeps running.
    jest.useFakeTimers({
      now: new Date('2026-05-06T03:00:00Z'),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      const render = () =>
        Promise.all([roundListWorkbook(publicity), roundNoticeDocument(publicity), roundListCsv(publicity)]);
      const first = await render();
      jest.setSystemTime(new Date('2027-01-02T11:22:33Z'));
      const second = await render();
      for (let i = 0; i < first.length; i++) expect(second[i].equals(first[i])).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
