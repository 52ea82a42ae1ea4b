import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_JWT_SECRET, loadConfig, ManualClock, type Principal, signToken } from '@engine/platform';
import { EngineDriver } from '../../apps/demo/src/engine-driver';
import { WorkflowRuntime } from '@engine/workflow';
import { createApiApp } from '../../apps/api/src/app.factory';

export interface Harness {
  app: NestFastifyApplication;
  clock: ManualClock;
  dataDir: string;
  /** The JSON log lines written, when started with `captureLogs` (else none). */
  logLines: string[];
  token(principal: Principal): Promise<string>;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    options?: {
      as?: Principal;
      body?: unknown;
      headers?: Record<string, string>;
      raw?: string;
      /** The client's address as the server sees it (default 127.0.0.1). */
      remoteAddress?: string;
      /** A multipart/form-data body (a material upload), instead of JSON. */
      form?: FormData;
      /**
       * `POST /v1/applications/:id/submit` as an enterprise first attaches what the policy
       * requires and is still missing, as the portal has the enterprise do ({@link
       * attachRequiredMaterials}); true submits the application as it stands (to see the refusal).
       */
      withoutMaterials?: boolean;
    },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Moves the engine's clock (as POST /v1/admin/clock would) and waits until the engine is idle. */
  advanceTo(instant: string): Promise<void>;
  /** Waits until every saga, projection and due timer has done what it would do on its own. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Attaches the driver's sample PDF for every material the application's policy requires and
 * it still lacks (the shipped policies require the licence, the audit report and the commitment
 * letter, and for some programmes the R&D audit). Does nothing when the caller may not see the
 * application's materials or none is missing: the submit that follows answers for itself.
 */
export async function attachRequiredMaterials(h: Pick<Harness, 'request'>, id: string, as: Principal) {
  const listed = await h.request('GET', `/v1/applications/${id}/materials`, { as });
  if (listed.status !== 200) return;
  const kinds = (listed.body.missing as { kind: string }[]).map((m) => m.kind);
  await new EngineDriver((method, url, options) => h.request(method, url, options)).attachSamples(
    id,
    as,
    kinds,
  );
}

/**
 * Boots the real api (embedded SQLite in a temp dir, manual clock) and talks to it in-process.
 * `dataDir`: share another harness's data (a second replica; it is not removed on close);
 * `withWorker: false`: a replica that runs no projections.
 */
export async function startApi(
  options: {
    now?: string;
    env?: Record<string, string>;
    captureLogs?: boolean;
    dataDir?: string;
    withWorker?: boolean;
  } = {},
): Promise<Harness> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'e2e-api-'));
  const clock = new ManualClock(new Date(options.now ?? '2026-03-02T02:00:00.000Z'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    LOG_LEVEL: options.captureLogs ? 'info' : 'silent',
    // Limits hold in the shared Redis: each harness counts on its own, and high enough that
    // suites making hundreds of calls as one caller are not limited unless they ask to be.
    RATE_LIMIT_NAMESPACE: `e2e-${randomBytes(6).toString('hex')}:`,
    RATE_LIMIT_MAX: '100000',
    // Queues (timers, notifications) of their own: workers of other suites sharing the Redis
    // must never take this harness's jobs.
    QUEUE_PREFIX: `{e2e-${randomBytes(6).toString('hex')}}`,
    // Its tokens live ten years (the manual clock travels months); production's cap is 12 h.
    JWT_MAX_LIFETIME_SECONDS: '315360000',
    ...options.env,
  });
  const logLines: string[] = [];
  const worker = options.withWorker === undefined ? {} : { withWorker: options.withWorker };
  const app = await createApiApp(
    config,
    options.captureLogs
      ? { clock, logDestination: { write: (line: string) => void logLines.push(line) }, ...worker }
      : { clock, logger: false, ...worker },
  );
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
        await signToken(principal, DEVELOPMENT_JWT_SECRET, { now: clock.now(), expiresIn: '3650d' }),
      );
    return tokens.get(key)!;
  };
  const harness: Harness = {
    app,
    clock,
    dataDir,
    logLines,
    token,
    async request(method, url, { as, body, headers = {}, raw, remoteAddress, form, withoutMaterials } = {}) {
      const submit = /^\/v1\/applications\/([^/?]+)\/submit$/.exec(url);
      if (method === 'POST' && submit && as?.role === 'enterprise' && !withoutMaterials) {
        await attachRequiredMaterials(harness, submit[1], as);
      }
      const res = await app.inject({
        method,
        url,
        headers: {
          ...(as ? { authorization: `Bearer ${await token(as)}` } : {}),
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: form ?? raw ?? (body === undefined ? undefined : JSON.stringify(body)),
        ...(remoteAddress ? { remoteAddress } : {}),
      });
      let parsed: unknown = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        // not JSON
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async advanceTo(instant) {
      clock.set(new Date(instant));
      await app.get(WorkflowRuntime).settled();
    },
    settle() {
      return app.get(WorkflowRuntime).settled();
    },
    async close() {
      await app.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
