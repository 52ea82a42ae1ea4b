import { documentNumberStream, parseDocumentNumber } from './document-number';
import { officialDate } from './official-date';

describe('document numbers (文号)', () => {
  it('reads the issuer, the year and the number of a well-formed one', () => {
    expect(parseDocumentNumber('锡科发〔2026〕12号')).toEqual({
      ok: true,
      value: { issuer: '锡科发', year: 2026, sequence: 12, text: '锡科发〔2026〕12号' },
    });
    expect(parseDocumentNumber('工信部企业函〔2024〕123号')).toMatchObject({
      ok: true,
      value: { issuer: '工信部企业函', sequence: 123 },
    });
  });

  it('normalises the bracket variants people type, and leading zeros, to one spelling', () => {
    for (const typed of [
      '锡科发[2026]12号',
      '锡科发【2026】12号',
      '锡科发（2026）12号',
      '锡科发(2026)012号',
      '锡科发〖2026〗12号',
      ' 锡科发［2026］12号 ',
    ]) {
      expect(parseDocumentNumber(typed)).toMatchObject({ ok: true, value: { text: '锡科发〔2026〕12号' } });
    }
  });

  it('refuses what is not a document number, saying why', () => {
    for (const bad of [
      '锡科发2026年12号',
      '锡科发〔2026〕12',
      '〔2026〕12号',
      '锡科发〔26〕12号',
      '锡科发〔2026】12号',
      '锡科发〔2026〕0号',
      'ABC〔2026〕1号',
      12,
    ]) {
      const result = parseDocumentNumber(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).not.toBe('');
    }
    expect(parseDocumentNumber('锡科发〔2026】12号')).toMatchObject({
      message: expect.stringContaining('do not match'),
    });
  });

  it('reserves a number in a stream named by its canonical spelling', () => {
    const parsed = parseDocumentNumber('锡科发[2026]12号');
    expect(parsed.ok && documentNumberStream(parsed.value)).toBe('document-number-锡科发〔2026〕12号');
  });

  it('writes dates as official documents do', () => {
    expect(officialDate('2026-12-07')).toBe('2026年12月7日');
    expect(officialDate('2026-01-20')).toBe('2026年1月20日');
    expect(() => officialDate('2026-1-2')).toThrow();
  });
});
