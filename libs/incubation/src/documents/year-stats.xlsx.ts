import { Workbook } from 'exceljs';
import { officialDate } from '../domain/documents/official-date';
import { PROGRAMME_NAMES, STATUS_NAMES } from './labels';
import { normalisePackage } from './ooxml-package';

/** Applications counted by status. */
interface StatusCounts {
  total: number;
  byStatus: Record<string, number>;
}

/**
 * The figures the table prints: a year's applications counted per programme and district
 * (`within`: the jurisdiction they were read for, null for all). The read models' year
 * statistics have this shape; the api passes them in.
 */
export interface YearStatsFigures extends StatusCounts {
  year: number;
  within: string | null;
  byProgramme: (StatusCounts & {
    programme: string;
    byDistrict: (StatusCounts & { jurisdiction: string })[];
  })[];
}

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * The year's statistics as one printable table: a row per programme and district, a subtotal
 * per programme and the grand total, a column per status; A4 landscape, one page wide.
 * `at` is the instant the figures were read (the table says so, and the file is dated by it).
 */
export async function yearStatsWorkbook(stats: YearStatsFigures, at: Date, today: string): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.created = at;
  workbook.modified = at;
  workbook.title = `${stats.year}年度企业培育库申报统计表`;
  const sheet = workbook.addWorksheet('统计', {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '3:3',
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: 3, xSplit: 2 }],
  });
  const columns = 2 + STATUS_NAMES.length + 1;
  sheet.columns = [{ width: 22 }, { width: 20 }, ...STATUS_NAMES.map(() => ({ width: 10 })), { width: 10 }];
  const last = sheet.getColumn(columns).letter;
  sheet.mergeCells(`A1:${last}1`);
  sheet.getCell('A1').value = workbook.title;
  sheet.getCell('A1').font = { bold: true, size: 16 };
  sheet.getCell('A1').alignment = { horizontal: 'center' };
  sheet.mergeCells(`A2:${last}2`);
  sheet.getCell('A2').value = `统计范围：${stats.within ?? '全部'}\u3000数据截至：${officialDate(today)}`;
  sheet.getCell('A2').alignment = { horizontal: 'center' };

  const header = sheet.getRow(3);
  header.values = ['项目', '所在区域', ...STATUS_NAMES.map(([, name]) => name), '合计'];
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  const counts = (c: { total: number; byStatus: Record<string, number> }) => [
    ...STATUS_NAMES.map(([status]) => c.byStatus[status] ?? 0),
    c.total,
  ];
  const bold = new Set<number>([3]);
  for (const programme of stats.byProgramme) {
    const name = PROGRAMME_NAMES[programme.programme] ?? programme.programme;
    for (const district of programme.byDistrict)
      sheet.addRow([name, district.jurisdiction, ...counts(district)]);
    bold.add(sheet.addRow([name, '小计', ...counts(programme)]).number);
  }
  bold.add(sheet.addRow(['合计', '', ...counts(stats)]).number);
  sheet.eachRow((row, n) => {
    if (n < 3) return;
    if (bold.has(n)) row.font = { bold: true };
    for (let c = 1; c <= columns; c++) row.getCell(c).border = BORDER;
  });
  return normalisePackage(new Uint8Array(await workbook.xlsx.writeBuffer()), at);
}
