import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '@engine/platform';
import type { Harness } from './api-harness';

/** A small but well-formed-looking file of each accepted type (only the head matters). */
export const samples = {
  pdf: (bytes = 2048) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes)]),
  png: (bytes = 2048) =>
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(bytes)]),
  jpeg: (bytes = 2048) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(bytes)]),
  ofd: (bytes = 2048) =>
    Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(22),
      Buffer.from([7, 0, 0, 0]),
      Buffer.from('OFD.xml'),
      randomBytes(bytes),
    ]),
};

/** A multipart/form-data body: the fields first, then one file part named `file`. */
export function multipart(
  fields: Record<string, string>,
  file: { name: string; content: Buffer; type?: string },
): { body: Buffer; contentType: string } {
  const boundary = `----materials${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /v1/applications/:id/materials through the in-process harness. */
export async function upload(
  h: Harness,
  applicationId: string,
  as: Principal,
  kind: string | undefined,
  file: { name: string; content: Buffer },
  headers: Record<string, string> = {},
) {
  const { body, contentType } = multipart(kind === undefined ? {} : { kind }, file);
  const res = await h.app.inject({
    method: 'POST',
    url: `/v1/applications/${applicationId}/materials`,
    headers: { authorization: `Bearer ${await h.token(as)}`, 'content-type': contentType, ...headers },
    payload: body,
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

/** Every file under a directory, recursively (to prove a refusal left nothing behind). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
