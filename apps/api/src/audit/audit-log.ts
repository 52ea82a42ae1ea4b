import type { EventStoreBackend, RawStoredEvent } from '@engine/event-store';

export interface AuditLogQuery {
  after: number;
  limit: number;
  types?: string[];
  stream?: string;
  actor?: string;
  /** Recorded at or after (inclusive), and before (exclusive): ISO instants. */
  from?: string;
  to?: string;
}

export interface AuditLogEntry {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: { sub: string; role: string };
  correlationId: string;
  causationId: string;
  data: unknown;
  hash: string;
  corrupt?: string;
}

export interface AuditLogPage {
  events: AuditLogEntry[];
  /** Pass as `after` for the next page; null once the end of the log was reached. */
  next: number | null;
}

/** Most events looked at for one page: sparse filters answer short pages rather than slow ones. */
export const AUDIT_SCAN_BUDGET = 10_000;

/**
 * The global log, from the record itself: raw stored events (before upcasting, exactly what
 * each hash covers) in position order. Type and stream filters are pushed down to the store;
 * actor and time range are applied while scanning, up to a budget per page, so a page may
 * hold fewer than `limit` events (even none) while `next` still moves on.
 */
export async function readAuditLog(backend: EventStoreBackend, query: AuditLogQuery): Promise<AuditLogPage> {
  const from = query.from ? Date.parse(query.from) : undefined;
  const to = query.to ? Date.parse(query.to) : undefined;
  const matches = (event: RawStoredEvent) => {
    if (query.stream !== undefined && event.stream !== query.stream) return false;
    const metadata = event.metadata;
    if (query.actor !== undefined && metadata?.actor?.sub !== query.actor) return false;
    if (from !== undefined || to !== undefined) {
      const at = Date.parse(metadata?.recordedAt);
      if (from !== undefined && !(at >= from)) return false;
      if (to !== undefined && !(at < to)) return false;
    }
    return true;
  };
  const filter = {
    ...(query.types?.length ? { types: query.types } : {}),
    ...(query.stream !== undefined ? { streamPrefixes: [query.stream] } : {}),
  };
  const events: AuditLogEntry[] = [];
  let after = query.after;
  let scanned = 0;
  for (;;) {
    const page = await backend.readAll({ after, limit: Math.min(1000, AUDIT_SCAN_BUDGET), filter });
    for (const event of page.events) {
      scanned++;
      if (!matches(event)) continue;
      events.push(entry(event));
      if (events.length === query.limit) return { events, next: event.position };
    }
    if (page.isEnd || page.next <= after) return { events, next: null };
    after = page.next;
    if (scanned >= AUDIT_SCAN_BUDGET) return { events, next: after };
  }
}

function entry(event: RawStoredEvent): AuditLogEntry {
  const metadata = event.metadata;
  return {
    position: event.position,
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: metadata?.occurredAt,
    recordedAt: metadata?.recordedAt,
    actor: metadata?.actor,
    correlationId: metadata?.correlationId,
    causationId: metadata?.causationId,
    data: event.data,
    hash: event.hash,
    ...(event.corrupt ? { corrupt: event.corrupt } : {}),
  };
}
