import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_JWT_SECRET, loadConfig, ManualClock, type Principal, signToken } from '@engine/platform';
import { createApiApp } from '../../apps/api/src/app.factory';

export interface Harness {
  app: NestFastifyApplication;
  clock: ManualClock;
  dataDir: string;
  token(principal: Principal): Promise<string>;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    options?: { as?: Principal; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

/**
 * Boots the real api (embedded SQLite in a temp dir, manual clock) and talks to it in-process.
 * `dataDir`: share another harness's data (a second replica; it is not removed on close);
 * `withWorker: false`: a replica that runs no projections.
 */
export async function startApi(
  options: { now?: string; env?: Record<string, string>; dataDir?: string; withWorker?: boolean } = {},
): Promise<Harness> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'e2e-api-'));
  const clock = new ManualClock(new Date(options.now ?? '2026-03-02T02:00:00.000Z'));
  const config = loadConfig({ DATA_DIR: dataDir, CLOCK: 'manual', LOG_LEVEL: 'silent', ...options.env });
  const app = await createApiApp(config, {
    clock,
    logger: false,
    ...(options.withWorker === undefined ? {} : { withWorker: options.withWorker }),
  });
  try {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const tokens = new Map<string, string>();
  const token = async (principal: Principal) => {
    const key = JSON.stringify(principal);
    if (!tokens.has(key))
      tokens.set(
        key,
        await signToken(principal, DEVELOPMENT_JWT_SECRET, { now: clock.now(), expiresIn: '30d' }),
      );
    return tokens.get(key)!;
  };
  return {
    app,
    clock,
    dataDir,
    token,
    async request(method, url, { as, body, headers = {}, raw } = {}) {
      const res = await app.inject({
        method,
        url,
        headers: {
          ...(as ? { authorization: `Bearer ${await token(as)}` } : {}),
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      let parsed: unknown = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        // not JSON
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async close() {
      await app.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
