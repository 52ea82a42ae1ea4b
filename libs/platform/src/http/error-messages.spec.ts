import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_MESSAGES_ZH, localizeError, negotiateLocale } from './error-messages';
import { errorResponse } from './error-response';

const ROOT = join(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|int-spec)\.ts$/.test(name) ? [path] : [];
  });
}

describe('error messages in zh-CN or en, keyed by the stable code', () => {
  it('has a Chinese message for every code the engine answers with', () => {
    const used = new Set<string>();
    const patterns = [
      /errorResponse\(\s*[^,]+,\s*'([A-Z][A-Z0-9_]+)'/g,
      /\b(?:conflict|ruleViolated|notFound|forbidden|invalid)\(\s*'([A-Z][A-Z0-9_]+)'/g,
      /new DomainError\(\s*'[a-z-]+',\s*'([A-Z][A-Z0-9_]+)'/g,
      /new AccountError\(\s*\d+,\s*'([A-Z][A-Z0-9_]+)'/g,
      /\bcode: '([A-Z][A-Z0-9_]+)'/g,
    ];
    for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) for (const [, code] of text.matchAll(pattern)) used.add(code);
    }
    expect(used.size).toBeGreaterThan(40);
    const missing = [...used].filter((code) => !(code in ERROR_MESSAGES_ZH)).sort();
    // Codes that never reach a client (event-store internals) may be absent; none here does.
    expect(
      missing.filter(
        (code) => !['WRONG_EXPECTED_REVISION', 'INVALID_EVENT', 'IDEMPOTENCY_CONFLICT'].includes(code),
      ),
    ).toEqual([]);
  });

  it('speaks Chinese unless English is preferred', () => {
    expect(negotiateLocale(undefined)).toBe('zh-CN');
    expect(negotiateLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(negotiateLocale('en-US,en;q=0.9')).toBe('en');
    expect(negotiateLocale('en;q=0.5,zh-TW;q=0.9')).toBe('zh-CN');
    expect(negotiateLocale('fr-FR')).toBe('zh-CN');
    expect(negotiateLocale('*')).toBe('zh-CN');
  });

  it('changes only the message: status, error, code and details stay', () => {
    const body = errorResponse(400, 'VALIDATION_FAILED', 'creditCode: bad check character', [
      { field: 'creditCode', message: 'bad check character' },
    ]);
    const zh = localizeError(body, 'zh-CN');
    expect(zh).toEqual({ ...body, message: '请求内容未通过校验，请按 details 逐项更正' });
    expect(localizeError(body, 'en')).toBe(body);
    expect(
      localizeError(errorResponse(429, 'RATE_LIMITED', 'too many requests; retry in 12 s'), 'zh-CN').message,
    ).toBe('请求过于频繁，请在 12 秒后重试');
    expect(localizeError(errorResponse(409, 'SOMETHING_NEW', 'x'), 'zh-CN').message).toBe(
      '当前状态下不能执行此操作',
    );
  });

  it('keeps a Chinese message the refusing code wrote with its particulars', () => {
    const body = errorResponse(422, 'SOME_RULE', '缺少必需的申报材料：营业执照');
    expect(localizeError(body, 'zh-CN').message).toBe('缺少必需的申报材料：营业执照');
  });

  it('says English prose that quotes Chinese labels again in Chinese, with the particulars the body carries', () => {
    const missing = {
      ...errorResponse(
        422,
        'MATERIALS_MISSING',
        'required materials are missing: 营业执照 (business-licence), 审计报告 (audit-report)',
      ),
      explanation: {
        missing: [
          { kind: 'business-licence', label: { zh: '营业执照', en: 'Business licence' } },
          { kind: 'audit-report', label: { zh: '审计报告', en: 'Audit report' } },
        ],
      },
    };
    expect(localizeError(missing, 'zh-CN').message).toBe('必需的申报材料尚未上传：营业执照、审计报告');
    const type = {
      ...errorResponse(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'a business licence must be application/pdf or image/jpeg, not text/plain',
      ),
      limits: { accepted: ['application/pdf', 'image/jpeg'] },
    };
    expect(localizeError(type, 'zh-CN').message).toBe(
      '文件类型不符合要求（按文件内容识别，而非文件名），此类材料只接受：PDF、JPEG',
    );
    expect(localizeError(errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', 'send JSON'), 'zh-CN').message).toMatch(
      /JSON/,
    );
  });
});
