import { DEVELOPMENT_JWT_SECRET, type Principal, signToken } from '@engine/platform';
import { EngineDriver } from '../../apps/demo/src/engine-driver';

/**
 * The engine driver over real HTTP, for tests that start the api as processes. Each call goes
 * to `base()` (rotate it to spread calls over replicas); tokens are signed once per principal
 * with the development secret, valid for years of manual-clock time.
 */
export function httpDriver(base: () => string): EngineDriver {
  const tokens = new Map<string, Promise<string>>();
  const token = (p: Principal) => {
    const key = JSON.stringify(p);
    if (!tokens.has(key)) {
      tokens.set(
        key,
        signToken(p, DEVELOPMENT_JWT_SECRET, { expiresIn: '3650d', now: new Date('2026-03-01T00:00:00Z') }),
      );
    }
    return tokens.get(key)!;
  };
  return new EngineDriver(async (method, url, options = {}) => {
    const res = await fetch(`${base()}${url}`, {
      method,
      headers: {
        ...(options.as ? { authorization: `Bearer ${await token(options.as)}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  });
}

export interface LoggedEvent {
  stream: string;
  type: string;
  data: Record<string, unknown>;
}

/** Every event of the store, through the audit log, page by page. */
export async function auditLog(d: EngineDriver, as: Principal): Promise<LoggedEvent[]> {
  const out: LoggedEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await d.expect(200, 'GET', `/v1/audit/events?after=${after}&limit=1000`, { as });
    out.push(...page.events);
    if (!page.next || page.events.length === 0) return out;
    after = page.next;
  }
}

/** How many events of `type` each stream has (one entry per stream that has any). */
export function perStream(events: readonly LoggedEvent[], type: string): number[] {
  const counts = new Map<string, number>();
  for (const e of events) if (e.type === type) counts.set(e.stream, (counts.get(e.stream) ?? 0) + 1);
  return [...counts.values()];
}

/** Polls `check` until it holds; fails after `timeoutMs` naming `what` (and `detail()`, e.g. process output). */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  options: { timeoutMs?: number; pollMs?: number; detail?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${options.detail?.() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
  }
}
