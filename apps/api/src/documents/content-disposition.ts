/**
 * `Content-Disposition: attachment` with a Chinese file name: an ASCII `filename` for old
 * clients and the UTF-8 name as `filename*` (RFC 6266 with RFC 8187 / 5987 encoding), which
 * every current browser prefers.
 */
export function attachment(asciiName: string, utf8Name: string): string {
  const fallback = asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(utf8Name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
