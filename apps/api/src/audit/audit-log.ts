import {
  type EventStoreBackend,
  type RawStoredEvent,
  type ReadAllFilter,
  readAllFiltered,
} from '@engine/event-store';

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
 * each hash covers) in position order. Every filter is pushed down to the store: type and
 * stream on every backend, actor and recording time on SQLite and PostgreSQL, which index
 * them (events_by_actor, events_by_recorded_at), so a page costs an index range scan however
 * sparse the matches. A backend without those indexes (KurrentDB) has them applied while
 * scanning, up to a budget per page, so a page may then hold fewer than `limit` events (even
 * none) while `next` still moves on.
 */
export async function readAuditLog(backend: EventStoreBackend, query: AuditLogQuery): Promise<AuditLogPage> {
  const filter: ReadAllFilter = {
    ...(query.types?.length ? { types: query.types } : {}),
    ...(query.stream !== undefined ? { streamPrefixes: [query.stream] } : {}),
    ...(query.actor !== undefined ? { actor: query.actor } : {}),
    ...(query.from !== undefined ? { recordedFrom: query.from } : {}),
    ...(query.to !== undefined ? { recordedBefore: query.to } : {}),
  };
  // The stream filter is by prefix: keep only the stream named.
  const matches = (event: RawStoredEvent) => query.stream === undefined || event.stream === query.stream;
  const events: AuditLogEntry[] = [];
  let after = query.after;
  let scanned = 0;
  for (;;) {
    const limit = backend.filtersMetadata ? Math.min(1000, query.limit + 1) : 1000;
    const page = await readAllFiltered(backend, { after, limit, filter });
    for (const event of page.events) {
      if (!matches(event)) continue;
      events.push(entry(event));
      if (events.length === query.limit) return { events, next: event.position };
    }
    // Filtered in memory, a page stands for up to `limit` events looked at.
    scanned += backend.filtersMetadata ? page.events.length : limit;
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
