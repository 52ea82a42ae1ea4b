import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type CliCommand, type CliOptionSpecs, CliUsageError, EXIT, parseOptions } from './command';
import { t } from './locale';

const REGISTERS = ['national-high-tech', 'provincial-cultivation', 'tech-sme'] as const;

const apiOptions = {
  url: {
    type: 'string',
    placeholder: 'URL',
    description: t('引擎地址（默认 http://localhost:3000）', 'the engine (default http://localhost:3000)'),
  },
  token: {
    type: 'string',
    placeholder: 'TOKEN',
    description: t(
      '科技局经办人的令牌（见 token 命令）',
      "an officer's bearer token (see the token command)",
    ),
  },
  json: { type: 'boolean', default: false, description: t('以 JSON 输出结果', 'print the result as JSON') },
} satisfies CliOptionSpecs;

function endpoint(values: { url?: string; token?: string }) {
  const url = (values.url ?? 'http://localhost:3000').replace(/\/$/, '');
  const token = values.token;
  if (!token)
    throw new CliUsageError(t('需要 --token（见 token 命令）', 'needs --token (see the token command)'));
  return { url, headers: { authorization: `Bearer ${token}`, 'accept-language': t('zh-CN', 'en') } };
}

/** Prints the engine's refusal (code, message and each line-numbered problem); exit 1. */
async function refused(res: Response): Promise<number> {
  const body = (await res.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    details?: { field: string; message: string }[];
  };
  console.error(`${res.status} ${body.code ?? ''}: ${body.message ?? res.statusText}`);
  for (const d of body.details ?? []) console.error(`  ${d.field}: ${d.message}`);
  return EXIT.failed;
}

/** `register-import <register> <file>`: imports a register file through the api (POST /v1/registers/:register). */
export const registerImportCommand: CliCommand = {
  name: 'register-import',
  usage:
    'register-import <national-high-tech|provincial-cultivation|tech-sme> <file.csv|file.xlsx> [--url URL] [--token TOKEN] [--json]',
  summary: t(
    '导入名录（国家高新技术企业、省高新技术企业培育库、科技型中小企业）：CSV（UTF-8）或 XLSX，成为本辖区该名录的新版本',
    'import a register (national high-tech, provincial cultivation pool, tech SMEs) from CSV (UTF-8) or XLSX as its new version for your jurisdiction',
  ),
  arguments: [
    { syntax: '<register>', description: REGISTERS.join(' | ') },
    { syntax: '<file>', description: t('CSV 或 XLSX 文件', 'a CSV or XLSX file') },
  ],
  options: apiOptions,
  async run(args) {
    const { values, positionals } = parseOptions('register-import', args, apiOptions, [
      { syntax: '<register>', description: '' },
      { syntax: '<file>', description: '' },
    ]);
    const [register, file] = positionals;
    if (!(REGISTERS as readonly string[]).includes(register))
      throw new CliUsageError(t(`未知名录 ${register}`, `unknown register ${register}`));
    const { url, headers } = endpoint(values);
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)]), basename(file));
    const res = await fetch(`${url}/v1/registers/${register}`, { method: 'POST', headers, body: form });
    if (res.status !== 201) return refused(res);
    const imported = (await res.json()) as {
      version: string;
      rowCount: number;
      jurisdiction: string;
      importedOn: string;
    };
    if (values.json) console.log(JSON.stringify(imported));
    else
      console.log(
        t(
          `已导入：${register}（${imported.jurisdiction}）${imported.rowCount} 行，版本 sha256:${imported.version}，${imported.importedOn}`,
          `imported: ${register} (${imported.jurisdiction}) ${imported.rowCount} rows, version sha256:${imported.version}, ${imported.importedOn}`,
        ),
      );
    return EXIT.ok;
  },
};

/** `screen <roundId>`: the registered enterprises a round's bureau may invite (GET /v1/rounds/:id/screening). */
export const screenCommand: CliCommand = {
  name: 'screen',
  usage: 'screen <roundId> [--url URL] [--token TOKEN] [--json]',
  summary: t(
    '名录筛查：列出本批次辖区内名录有效、尚未申报的企业，供邀请申报',
    "screening: list the registered enterprises of a round's jurisdiction with a valid entry that have not applied, to invite",
  ),
  arguments: [{ syntax: '<roundId>', description: t('批次 ID', 'the round id') }],
  options: apiOptions,
  async run(args) {
    const { values, positionals } = parseOptions('screen', args, apiOptions, [
      { syntax: '<roundId>', description: '' },
    ]);
    const { url, headers } = endpoint(values);
    const res = await fetch(`${url}/v1/rounds/${encodeURIComponent(positionals[0])}/screening`, { headers });
    if (res.status !== 200) return refused(res);
    const result = (await res.json()) as {
      on: string;
      versions: { register: string; version: string; importedOn: string }[];
      candidates: {
        creditCode: string;
        name: string;
        register: string;
        certificateNumber: string;
        validUntil: string;
      }[];
    };
    if (values.json) {
      console.log(JSON.stringify(result));
      return EXIT.ok;
    }
    for (const v of result.versions)
      console.log(
        t(
          `名录 ${v.register} 版本 sha256:${v.version.slice(0, 12)}（${v.importedOn} 导入）`,
          `register ${v.register} version sha256:${v.version.slice(0, 12)} (imported ${v.importedOn})`,
        ),
      );
    console.log(
      t(
        `${result.on} 有效、尚未申报：${result.candidates.length} 家`,
        `valid on ${result.on}, not applied: ${result.candidates.length}`,
      ),
    );
    for (const c of result.candidates)
      console.log(`  ${c.creditCode}  ${c.name}  ${c.register} ${c.certificateNumber} → ${c.validUntil}`);
    return EXIT.ok;
  },
};
