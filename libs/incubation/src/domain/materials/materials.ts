/**
 * Pure rules about material files (docs/materials.md): what type a file is, judged by its first
 * bytes and never by its name, and what name it may be stored and served under.
 */
import type { MaterialMediaType } from '../policies/policy-types';

/** Bytes of the file's head that {@link sniffMediaType} needs to decide. */
export const SNIFF_BYTES = 4096;

const startsWith = (head: Uint8Array, bytes: number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const OFD_ENTRY = Buffer.from('OFD.xml', 'latin1');

/**
 * The file's media type from its first bytes ({@link SNIFF_BYTES} or the whole file if
 * shorter), or null when it is none of PDF, OFD, JPEG and PNG.
 *
 * OFD (GB/T 33190, the Chinese fixed-layout format of e-licences and e-invoices) is a ZIP
 * package whose entry file is `OFD.xml`: a ZIP whose head names that entry is taken as OFD,
 * any other ZIP is not.
 */
export function sniffMediaType(head: Uint8Array): MaterialMediaType | null {
  if (startsWith(head, PDF)) return 'application/pdf';
  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, JPEG)) return 'image/jpeg';
  if (startsWith(head, ZIP_LOCAL_HEADER) && Buffer.from(head).includes(OFD_ENTRY)) return 'application/ofd';
  return null;
}

export const MEDIA_TYPE_EXTENSIONS: Record<MaterialMediaType, string> = {
  'application/pdf': '.pdf',
  'application/ofd': '.ofd',
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

/** Longest stored file name, in characters (the extension is kept when cutting). */
export const MAX_FILE_NAME_LENGTH = 120;

/**
 * A file name safe to store, show and send back in Content-Disposition: the last path segment
 * only, Unicode NFC, without control characters, path or shell-special characters, leading
 * dots or trailing dots and spaces, at most {@link MAX_FILE_NAME_LENGTH} characters. Chinese
 * names stay as they are. An empty result becomes `material<ext>` for the media type.
 */
export function sanitizeFileName(raw: string | undefined, mediaType: MaterialMediaType): string {
  const lastSegment = (raw ?? '').split(/[/\\]/).pop() ?? '';
  let name = lastSegment
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = chars.slice(0, MAX_FILE_NAME_LENGTH - [...extension].length).join('') + extension;
  }
  return name || `material${MEDIA_TYPE_EXTENSIONS[mediaType]}`;
}
