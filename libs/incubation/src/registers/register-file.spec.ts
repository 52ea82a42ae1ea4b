import { creditCodeCheckCharacter } from '@engine/platform';
import { Workbook } from 'exceljs';
import { readRegisterFile } from './register-file';

const code = (n: number) => {
  const first17 = `91320214MA${String(n).padStart(7, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
};
const HEADER = '统一社会信用代码,企业名称,证书编号,有效期起,有效期至';

describe('reading a register file', () => {
  it('reads a UTF-8 CSV with Chinese headers (BOM, slashes in dates) and versions it by its digest', async () => {
    const csv = `\uFEFF${HEADER}\n${code(1)},无锡甲科技有限公司,GR202132001234,2021/11/30,2024/11/29\n`;
    const file = await readRegisterFile(Buffer.from(csv));
    expect(file.format).toBe('csv');
    expect(file.version).toMatch(/^[0-9a-f]{64}$/);
    expect(file.rows).toEqual([
      {
        creditCode: code(1),
        name: '无锡甲科技有限公司',
        certificateNumber: 'GR202132001234',
        validFrom: '2021-11-30',
        validUntil: '2024-11-29',
      },
    ]);
  });

  it('reads the first sheet of an XLSX, date cells included', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('名录');
    sheet.addRow(['统一社会信用代码', '企业名称', '证书编号', '有效期起', '有效期至', '所属地区代码']);
    sheet.addRow([
      code(2),
      '无锡乙科技有限公司',
      '202132021400123',
      new Date('2021-05-10T00:00:00Z'),
      '2021-12-31',
      'js.wuxi.xinwu',
    ]);
    const file = await readRegisterFile(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(file.format).toBe('xlsx');
    expect(file.rows[0]).toMatchObject({
      validFrom: '2021-05-10',
      validUntil: '2021-12-31',
      jurisdiction: 'js.wuxi.xinwu',
    });
  });

  it('refuses missing columns, naming them', async () => {
    await expect(
      readRegisterFile(Buffer.from(`统一社会信用代码,企业名称\n${code(1)},甲\n`)),
    ).rejects.toMatchObject({
      code: 'REGISTER_FILE_INVALID',
      message: expect.stringContaining('缺少列：证书编号、有效期起、有效期至'),
    });
  });

  it('refuses a wrong check character and a bad date with their line numbers', async () => {
    const bad = code(3).slice(0, 17) + (code(3)[17] === '0' ? '1' : '0');
    const csv = `${HEADER}\n${code(1)},甲,GR1,2021-01-01,2023-12-31\n${bad},乙,GR2,2021-01-01,2023-12-31\n${code(4)},丙,GR3,2021-13-01,2023-12-31\n`;
    const error = await readRegisterFile(Buffer.from(csv)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REGISTER_FILE_INVALID' });
    const problems = (error as { details: { line: number; column: string }[] }).details;
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [3, '统一社会信用代码'],
      [4, '有效期起'],
    ]);
    expect((error as Error).message).toMatch(/^第 3 行（统一社会信用代码）：.*校验/);
  });

  it('refuses a file that is neither UTF-8 CSV nor XLSX', async () => {
    await expect(readRegisterFile(Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0xff]))).rejects.toMatchObject({
      code: 'REGISTER_FILE_INVALID',
    });
  });
});
