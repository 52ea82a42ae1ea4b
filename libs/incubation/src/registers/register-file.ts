import { createHash } from 'node:crypto';
import { isIsoDate, normalizeCreditCode, validateCreditCode } from '@engine/platform';
import { parse } from 'csv-parse';
import { Workbook } from 'exceljs';
import type { RegisterRow } from '../domain/registers/register.events';
import { invalid } from '../domain/shared/domain-error';

/**
 * Reading a register file (CSV or XLSX, told apart by content) into rows: a header row naming
 * the columns (Chinese or English, docs/policies.md "Registers"), one enterprise per row. Every
 * problem is reported with its line (CSV) or row (XLSX) number, up to {@link MAX_PROBLEMS}, as
 * a 400 REGISTER_FILE_INVALID.
 */
export interface RegisterFile {
  format: 'csv' | 'xlsx';
  /** SHA-256 (hex) of the file's bytes: the version an explanation cites. */
  version: string;
  rows: RegisterRow[];
}

export interface RegisterFileProblem {
  /** 1-based line (CSV) or row (XLSX) number; the header is line 1. */
  line: number;
  column?: string;
  message: string;
}

const MAX_PROBLEMS = 20;

type Field = keyof RegisterRow;

/** Header spellings accepted for each field (compared trimmed, case-insensitive). */
const HEADERS: Record<Field, string[]> = {
  creditCode: ['统一社会信用代码', '信用代码', 'creditcode', 'credit_code'],
  name: ['企业名称', '单位名称', 'name'],
  certificateNumber: [
    '证书编号',
    '登记编号',
    '入库编号',
    '入库登记编号',
    'certificatenumber',
    'certificate_number',
  ],
  validFrom: ['有效期起', '有效期自', '发证日期', '入库日期', 'validfrom', 'valid_from'],
  validUntil: ['有效期至', '有效期止', '有效期截止', 'validuntil', 'valid_until'],
  jurisdiction: ['所属地区代码', 'jurisdiction'],
};
const REQUIRED: Field[] = ['creditCode', 'name', 'certificateNumber', 'validFrom', 'validUntil'];
const LABELS: Record<Field, string> = {
  creditCode: '统一社会信用代码',
  name: '企业名称',
  certificateNumber: '证书编号',
  validFrom: '有效期起',
  validUntil: '有效期至',
  jurisdiction: '所属地区代码',
};

/** 400 REGISTER_FILE_INVALID; `details` names each problem's line and column. */
const fail = (problems: RegisterFileProblem[]) =>
  invalid(
    'REGISTER_FILE_INVALID',
    problems
      .slice(0, 3)
      .map((p) => `第 ${p.line} 行${p.column ? `（${p.column}）` : ''}：${p.message}`)
      .join('；') + (problems.length > 3 ? `；另有 ${problems.length - 3} 处问题` : ''),
    problems.slice(0, MAX_PROBLEMS).map((p) => ({
      field: `line ${p.line}${p.column ? ` ${p.column}` : ''}`,
      message: p.message,
      line: p.line,
      ...(p.column ? { column: p.column } : {}),
    })),
  );

export async function readRegisterFile(bytes: Buffer): Promise<RegisterFile> {
  const version = createHash('sha256').update(bytes).digest('hex');
  const isZip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  const table = isZip ? await xlsxTable(bytes) : await csvTable(bytes);
  return { format: isZip ? 'xlsx' : 'csv', version, rows: rowsOf(table) };
}

interface Table {
  header: { line: number; cells: string[] };
  records: { line: number; cells: string[] }[];
}

async function csvTable(bytes: Buffer): Promise<Table> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail([
      { line: 1, message: '文件不是 UTF-8 编码的 CSV，也不是 XLSX（请另存为 UTF-8 CSV 或 .xlsx）' },
    ]);
  }
  const records = await new Promise<{ record: string[]; info: { lines: number } }[]>((resolve, reject) =>
    parse(
      text,
      { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true },
      (error, output) =>
        error
          ? reject(
              fail([
                {
                  line: (error as { lines?: number }).lines ?? 1,
                  message: `CSV 格式错误：${error.message}`,
                },
              ]),
            )
          : resolve(output as unknown as { record: string[]; info: { lines: number } }[]),
    ),
  );
  if (records.length === 0) throw fail([{ line: 1, message: '文件为空' }]);
  const [header, ...rest] = records.map((r) => ({ line: r.info.lines, cells: r.record }));
  return { header, records: rest };
}

async function xlsxTable(bytes: Buffer): Promise<Table> {
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fail([{ line: 1, message: '无法读取 XLSX 文件' }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw fail([{ line: 1, message: 'XLSX 文件没有工作表' }]);
  const rows: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      const value = cell.value;
      cells[column - 1] =
        value instanceof Date ? value.toISOString().slice(0, 10) : (cell.text ?? '').toString().trim();
    });
    if (cells.some((c) => c)) rows.push({ line, cells: Array.from(cells, (c) => c ?? '') });
  });
  if (rows.length === 0) throw fail([{ line: 1, message: '文件为空' }]);
  const [header, ...records] = rows;
  return { header, records };
}

/** 2021-11-30, 2021/11/30, 2021.11.30, 2021年11月30日 → 2021-11-30; anything else undefined. */
function isoDate(text: string): string | undefined {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!match) return undefined;
  const iso = `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : undefined;
}

function rowsOf(table: Table): RegisterRow[] {
  const problems: RegisterFileProblem[] = [];
  const index = new Map<Field, number>();
  table.header.cells.forEach((cell, i) => {
    const key = cell.trim().toLowerCase();
    const field = (Object.keys(HEADERS) as Field[]).find((f) => HEADERS[f].includes(key));
    if (field && !index.has(field)) index.set(field, i);
  });
  const absent = REQUIRED.filter((f) => !index.has(f));
  if (absent.length) {
    throw fail([
      {
        line: table.header.line,
        message:
          `缺少列：${absent.map((f) => LABELS[f]).join('、')}（表头应含 ` +
          `${REQUIRED.map((f) => LABELS[f]).join('、')}；现有：${table.header.cells.join('、') || '无'}）`,
      },
    ]);
  }
  const rows: RegisterRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of table.records) {
    const cell = (f: Field) => (index.has(f) ? (cells[index.get(f)!] ?? '').trim() : '');
    const problem = (f: Field, message: string) => problems.push({ line, column: LABELS[f], message });
    const before = problems.length;
    const code = normalizeCreditCode(cell('creditCode'));
    const check = validateCreditCode(code);
    if (!check.valid) problem('creditCode', `${code || '（空）'} ${check.messageZh}`);
    const name = cell('name');
    if (!name) problem('name', '不能为空');
    const certificateNumber = cell('certificateNumber');
    if (!certificateNumber) problem('certificateNumber', '不能为空');
    const validFrom = isoDate(cell('validFrom'));
    const validUntil = isoDate(cell('validUntil'));
    if (!validFrom) problem('validFrom', `“${cell('validFrom')}”不是日期（如 2021-11-30）`);
    if (!validUntil) problem('validUntil', `“${cell('validUntil')}”不是日期（如 2024-11-29）`);
    if (validFrom && validUntil && validUntil < validFrom) problem('validUntil', '早于有效期起');
    const jurisdiction = cell('jurisdiction');
    if (jurisdiction && !/^[a-z]{2}(\.[a-z0-9-]+)*$/.test(jurisdiction))
      problem('jurisdiction', `“${jurisdiction}”不是地区代码（如 js.wuxi.xinwu）`);
    const key = `${code}\n${certificateNumber}`;
    if (problems.length === before && seen.has(key)) {
      problem('certificateNumber', `与第 ${seen.get(key)} 行重复`);
    }
    if (problems.length === before) {
      seen.set(key, line);
      rows.push({
        creditCode: code,
        name,
        certificateNumber,
        validFrom: validFrom!,
        validUntil: validUntil!,
        ...(jurisdiction ? { jurisdiction } : {}),
      });
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (problems.length) throw fail(problems);
  if (rows.length === 0) throw fail([{ line: table.header.line, message: '表头之后没有数据行' }]);
  return rows;
}
