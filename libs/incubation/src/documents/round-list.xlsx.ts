import { Workbook, type Worksheet } from 'exceljs';
import { officialDate } from '../domain/documents/official-date';
import type { RoundDocumentModel } from '../use-cases/get-round-document/get-round-document.query';
import { asOfLine, COLUMNS, countsLine, listTitle, programmeName, publicityPeriod } from './labels';
import { normalisePackage } from './ooxml-package';

const WIDTHS = [6, 18, 44, 24, 13]; // characters: fits A4 portrait at 100% with the margins below
const LAST_COLUMN = 'E';
/** The ideographic space that separates items on a line of an official document. */
const GAP = '\u3000';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * The proposed or final list as an Excel workbook for printing and for the leadership: a title
 * row, the notice's number and the publicity period, the list by district with a subtotal after
 * each district, the total and the programme's counts; A4 portrait, one page wide, the header
 * row repeated on every page, page numbers in the footer.
 */
export async function roundListWorkbook(model: RoundDocumentModel): Promise<Buffer> {
  const at = new Date(model.changedAt);
  const workbook = new Workbook();
  workbook.creator = model.issuer;
  workbook.lastModifiedBy = model.issuer;
  workbook.title = listTitle(model);
  workbook.created = at;
  workbook.modified = at;
  const sheet = workbook.addWorksheet(model.stage === 'publicity' ? '拟入库名单' : '入库名单', {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
      printTitlesRow: '4:4',
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: 4 }],
  });
  sheet.columns = WIDTHS.map((width) => ({ width }));

  banner(sheet, 1, listTitle(model), { bold: true, size: 16 }, 28);
  const subtitle = [
    model.documentNumber ? `文号：${model.documentNumber}` : null,
    `公示期：${publicityPeriod(model)}`,
    model.final ? `定稿日期：${officialDate(model.final.finalizedOn)}` : null,
    asOfLine(model),
  ].filter((part): part is string => part !== null);
  banner(sheet, 2, subtitle.join(GAP), { size: 11 }, 20);
  banner(sheet, 3, [model.issuer, programmeName(model), countsLine(model)].join(GAP), { size: 11 }, 20);

  const header = sheet.getRow(4);
  header.values = [COLUMNS.no, COLUMNS.district, COLUMNS.name, COLUMNS.creditCode, COLUMNS.score];
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle' };
  header.eachCell((cell) => {
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });

  let row = 5;
  let index = 0;
  for (const district of model.districts) {
    for (let i = 0; i < district.count; i++, index++, row++) {
      const entry = model.entries[index];
      const line = sheet.getRow(row);
      line.values = [entry.no, entry.district, entry.name, entry.creditCode, entry.score ?? ''];
      line.eachCell({ includeEmpty: true }, (cell) => (cell.border = BORDER));
      line.getCell(1).alignment = { horizontal: 'center' };
      line.getCell(3).alignment = { wrapText: true, vertical: 'middle' };
      line.getCell(5).alignment = { horizontal: 'center' };
    }
    summary(sheet, row++, `${district.district} 小计`, `${district.count}家`);
  }
  summary(sheet, row, '合计', `${model.entries.length}家`);
  return normalisePackage(new Uint8Array(await workbook.xlsx.writeBuffer()), at);
}

function banner(
  sheet: Worksheet,
  row: number,
  text: string,
  font: { bold?: boolean; size: number },
  height: number,
) {
  sheet.mergeCells(`A${row}:${LAST_COLUMN}${row}`);
  const cell = sheet.getCell(`A${row}`);
  cell.value = text;
  cell.font = font;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(row).height = height;
}

function summary(sheet: Worksheet, row: number, label: string, count: string) {
  sheet.mergeCells(`A${row}:C${row}`);
  sheet.getCell(`A${row}`).value = label;
  sheet.getCell(`D${row}`).value = count;
  const line = sheet.getRow(row);
  line.font = { bold: true };
  line.alignment = { horizontal: 'center' };
  line.eachCell({ includeEmpty: true }, (cell) => (cell.border = BORDER));
}
