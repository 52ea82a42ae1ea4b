import type { Principal } from '@engine/platform';

/** The parts of a Fastify request a security event is made of. */
export interface RefusedRequest {
  method: string;
  url: string;
  routeOptions?: { url?: string };
  params?: unknown;
  principal?: Principal;
}

export type RefusalStatus = 401 | 403 | 404 | 429;

/**
 * One structured line per refused access (401, 403, 404 on a resource out of reach, 429):
 * the caller's sub and role when known, the method, the route pattern and the target id.
 * Never the token, a query string, a body or a header, so no personal data (ID numbers,
 * phones, names) can reach the log through it. docs/security.md lists the fields.
 */
export function accessRefusedEvent(
  request: RefusedRequest,
  status: RefusalStatus,
  reason: string,
  caller: Principal | undefined = request.principal,
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    event: 'access-refused',
    status,
    reason,
    method: request.method,
    route: request.routeOptions?.url ?? 'unmatched',
  };
  if (caller) event.caller = { sub: caller.sub, role: caller.role };
  const target = targetId(request.params);
  if (target !== undefined) event.target = target;
  return event;
}

/** The id the route addresses (`:id`, `:creditCode`), when it looks like an id. */
function targetId(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const { id, creditCode } = params as Record<string, unknown>;
  const value = id ?? creditCode;
  return typeof value === 'string' && /^[\w.:-]{1,64}$/.test(value) ? value : undefined;
}
