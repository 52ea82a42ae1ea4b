/**
 * Document numbers (文号) of the notices a bureau issues, e.g. `锡科发〔2026〕12号`: the issuing
 * bureau's abbreviation (机关代字), the year in hexagonal brackets 〔〕 and the sequence number
 * followed by 号 (GB/T 9704-2012, 7.2.3). People type the year's brackets in many ways; the
 * common variants are accepted and normalised to 〔〕, and leading zeros of the sequence
 * (never written in a 文号) are dropped, so one number has one spelling.
 */
export interface DocumentNumber {
  /** The bureau's abbreviation with its document kind, e.g. 锡科发, 工信部企业函. */
  issuer: string;
  year: number;
  sequence: number;
  /** The canonical spelling: `${issuer}〔${year}〕${sequence}号`. */
  text: string;
}

// 〔〕 (canonical), 〖〗, 【】, [], ［］, (), （）: the variants seen in bureaus' own lists.
const OPENING = '〔〖【[［(（';
const CLOSING = '〕〗】]］)）';
const PATTERN = new RegExp(
  `^(\\p{Script=Han}[\\p{Script=Han}A-Za-z]{1,19})([${escape(OPENING)}])(\\d{4})([${escape(CLOSING)}])(\\d{1,6})号$`,
  'u',
);

function escape(chars: string): string {
  return chars.replace(/[\]\\[^-]/g, '\\$&');
}

export type DocumentNumberParse = { ok: true; value: DocumentNumber } | { ok: false; message: string };

/** Parses and normalises a document number; says what is wrong when it is not one. */
export function parseDocumentNumber(input: unknown): DocumentNumberParse {
  if (typeof input !== 'string') return { ok: false, message: 'must be a string such as 锡科发〔2026〕12号' };
  const match = PATTERN.exec(input.trim());
  if (!match) {
    return {
      ok: false,
      message:
        'must be the issuer abbreviation, the year in 〔〕 and the number with 号, e.g. 锡科发〔2026〕12号',
    };
  }
  const [, issuer, open, yearText, close, sequenceText] = match;
  if (OPENING.indexOf(open) !== CLOSING.indexOf(close)) {
    return { ok: false, message: `the year's brackets do not match (${open}…${close})` };
  }
  const year = Number(yearText);
  const sequence = Number(sequenceText);
  if (year < 1949 || year > 2999) return { ok: false, message: `${year} is not a plausible year` };
  if (sequence < 1) return { ok: false, message: 'the number starts at 1' };
  return { ok: true, value: { issuer, year, sequence, text: `${issuer}〔${year}〕${sequence}号` } };
}

/**
 * The stream that reserves a number: one per bureau abbreviation, year and sequence, so the
 * store's "no stream yet" append decides who holds it.
 */
export const documentNumberStream = (number: DocumentNumber) => `document-number-${number.text}`;

/** What a reserved number was used for. */
export interface DocumentNumberReservedData {
  documentNumber: string;
  issuer: string;
  year: number;
  sequence: number;
  /** `publicity` (公示) or `admission` (the final list: 入库/认定 notice). */
  purpose: 'publicity' | 'admission';
  roundId: string;
}

/** Persisted event types of `document-number-<number>` streams. Never rename. */
export type DocumentNumberEvent = { type: 'DocumentNumberReserved'; data: DocumentNumberReservedData };
