/**
 * Material uploads and downloads over real HTTP against the compiled api in a child process,
 * shared by `npm run bench:materials` and test/materials-memory.e2e-spec.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  creditCodeCheckCharacter,
  DEVELOPMENT_JWT_SECRET,
  type Principal,
  signToken,
} from '../libs/platform/src';

export interface ApiProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts dist/apps/api/src/main.js (build first) on a free loopback port; resolves when ready. */
export async function startApiProcess(root: string, env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ENABLED: 'false',
      QUEUE_PREFIX: `{materials-${randomBytes(4).toString('hex')}}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the api exited early:\n${output}`);
    try {
      if ((await fetch(`${base}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the api did not answer within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    base,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A registered enterprise with a draft eaglet application in an open round. */
export async function draftApplication(
  base: string,
  data: unknown,
  serial = 1,
): Promise<{ id: string; token: string }> {
  const first17 = `91320214MD${String(serial).padStart(7, '0')}`;
  const code = first17 + creditCodeCheckCharacter(first17);
  const sign = (p: Principal) => signToken(p, DEVELOPMENT_JWT_SECRET, { now: new Date(), expiresIn: '2h' });
  const city = await sign({ sub: 'bench-city', role: 'officer', jurisdiction: 'js.wuxi' });
  const token = await sign({ sub: `ent-${code}`, role: 'enterprise', org: code });
  const now = Date.now();
  const round = await call(base, city, 'POST', '/v1/rounds', {
    programme: 'eaglet',
    year: new Date(now).getUTCFullYear(),
    batch: serial,
    title: '材料基准测试批次',
    jurisdiction: 'js.wuxi',
    opensAt: new Date(now - 86_400_000).toISOString(),
    closesAt: new Date(now + 30 * 86_400_000).toISOString(),
  });
  await call(base, token, 'POST', '/v1/enterprises', {
    creditCode: code,
    name: `基准测试材料${serial}有限公司`,
    jurisdiction: 'js.wuxi.xinwu',
    establishedOn: '2019-05-20',
  });
  const application = await call(base, token, 'POST', '/v1/applications', {
    roundId: round.id,
    creditCode: code,
    data,
  });
  return { id: application.id as string, token };
}

/** `size` bytes of a PDF-looking file, produced piece by piece (never held whole). */
export async function* pdfBytes(size: number, piece = 64 * 1024): AsyncGenerator<Buffer> {
  // The first piece is fresh random bytes, so each upload differs (content-addressed storage
  // would keep the same bytes once); the rest repeats one random block.
  const block = randomBytes(piece);
  let sent = 0;
  while (sent < size) {
    const chunk = sent === 0 ? Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(piece - 9)]) : block;
    const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
    sent += part.length;
    yield part;
  }
}

/** Streams a multipart upload (chunked); resolves with the answer once the server replied. */
export function streamUpload(
  base: string,
  token: string,
  applicationId: string,
  kind: string,
  fileName: string,
  content: AsyncIterable<Buffer>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(fileName)}"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v1/applications/${applicationId}/materials`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { text } });
        }
      });
    });
    req.on('error', reject);
    void (async () => {
      try {
        if (!req.write(head)) await once(req, 'drain');
        for await (const chunk of content) if (!req.write(chunk)) await once(req, 'drain');
        req.end(tail);
      } catch (error) {
        req.destroy(error as Error);
      }
    })();
  });
}

/** Downloads a material, counting and discarding the bytes. */
export function streamDownload(
  base: string,
  token: string,
  href: string,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${href}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resident set size now and at its peak since the last reset, bytes (Linux /proc). */
export function memoryOf(pid: number, readFile: (path: string) => string): { rss: number; peak: number } {
  const status = readFile(`/proc/${pid}/status`);
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
