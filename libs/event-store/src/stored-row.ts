import type { EventMetadata, RawStoredEvent } from './event-store.port';

/** An event row as the SQL adapters store it: data and metadata as JSON text. */
export interface StoredRow {
  id: string;
  stream: string;
  revision: number;
  position: number;
  type: string;
  schemaVersion: number;
  dataJson: string;
  metadataJson: string;
  hash: string;
}

/**
 * Decodes a stored row. A row whose JSON cannot be parsed (damaged on disk, edited by hand)
 * comes back marked `corrupt` instead of throwing, so a verification names it as a break.
 */
export function decodeStoredRow(row: StoredRow): RawStoredEvent {
  const event: RawStoredEvent = {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    schemaVersion: row.schemaVersion,
    data: null,
    metadata: undefined as unknown as EventMetadata,
    hash: row.hash,
    dataJson: row.dataJson,
  };
  try {
    event.data = JSON.parse(row.dataJson);
    event.metadata = JSON.parse(row.metadataJson);
  } catch (error) {
    event.corrupt = `stored JSON cannot be parsed: ${(error as Error).message}`;
  }
  return event;
}
