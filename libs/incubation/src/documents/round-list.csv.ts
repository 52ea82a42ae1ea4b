import { Workbook } from 'exceljs';
import type { RoundDocumentModel } from '../use-cases/get-round-document/get-round-document.query';
import { COLUMNS } from './labels';

/**
 * The list as CSV: one line per enterprise, no title or subtotals (it is for machines and for
 * re-sorting in a spreadsheet). UTF-8 with a byte-order mark, so Excel opens the Chinese names
 * correctly; CRLF line ends as RFC 4180 says. Written by exceljs' CSV writer (fast-csv), which
 * quotes what needs quoting.
 */
export async function roundListCsv(model: RoundDocumentModel): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('list');
  sheet.addRow([COLUMNS.no, COLUMNS.district, COLUMNS.name, COLUMNS.creditCode, COLUMNS.score]);
  for (const entry of model.entries) {
    sheet.addRow([entry.no, entry.district, defuse(entry.name), entry.creditCode, entry.score ?? '']);
  }
  const bytes = await workbook.csv.writeBuffer({
    formatterOptions: { writeBOM: true, rowDelimiter: '\r\n', includeEndRowDelimiter: true },
  });
  return Buffer.from(bytes);
}

/**
 * A spreadsheet runs a cell that begins with = + - @ as a formula ("CSV injection"); an
 * enterprise's name is typed by the enterprise, so such a name is written with a leading
 * apostrophe, which Excel shows as text (OWASP's advice).
 */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
