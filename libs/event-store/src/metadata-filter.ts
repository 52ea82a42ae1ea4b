import type { RawStoredEvent, ReadAllFilter } from './event-store.port';

/** Whether the filter asks for anything beyond type and stream. */
export function hasMetadataFilter(filter: ReadAllFilter | undefined): boolean {
  return (
    filter !== undefined &&
    (filter.actor !== undefined || filter.recordedFrom !== undefined || filter.recordedBefore !== undefined)
  );
}

/** The type and stream part of a filter, for a backend that does not filter by metadata. */
export function withoutMetadataFilter(filter: ReadAllFilter): ReadAllFilter {
  return {
    ...(filter.types ? { types: filter.types } : {}),
    ...(filter.streamPrefixes ? { streamPrefixes: filter.streamPrefixes } : {}),
  };
}

/** A predicate for the metadata part of a filter (actor, recording time), applied in memory. */
export function metadataFilterPredicate(filter: ReadAllFilter): (event: RawStoredEvent) => boolean {
  const from = filter.recordedFrom === undefined ? undefined : Date.parse(filter.recordedFrom);
  const before = filter.recordedBefore === undefined ? undefined : Date.parse(filter.recordedBefore);
  return (event) => {
    const metadata = event.metadata;
    if (filter.actor !== undefined && metadata?.actor?.sub !== filter.actor) return false;
    if (from !== undefined || before !== undefined) {
      const at = Date.parse(metadata?.recordedAt);
      if (from !== undefined && !(at >= from)) return false;
      if (before !== undefined && !(at < before)) return false;
    }
    return true;
  };
}

/** An instant as the SQL adapters store `recorded_at`: ISO 8601 UTC with milliseconds. */
export function storedInstant(instant: string): string {
  return new Date(instant).toISOString();
}
