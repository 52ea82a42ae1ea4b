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
  return decodeStoredColumns(
    row.id,
    row.stream,
    row.revision,
    row.position,
    row.type,
    row.schemaVersion,
    row.dataJson,
    row.metadataJson,
    row.hash,
  );
}

/** {@link decodeStoredRow} from the columns themselves (no row object in between). */
export function decodeStoredColumns(
  id: string,
  stream: string,
  revision: number,
  position: number,
  type: string,
  schemaVersion: number,
  dataJson: string,
  metadataJson: string,
  hash: string,
): RawStoredEvent {
  let data: unknown = null;
  let metadata = undefined as unknown as EventMetadata;
  let corrupt: string | undefined;
  try {
    data = JSON.parse(dataJson);
    metadata = JSON.parse(metadataJson) as EventMetadata;
  } catch (error) {
    corrupt = `stored JSON cannot be parsed: ${(error as Error).message}`;
  }
  // One shape for every event (corrupt or not), so the code reading them stays monomorphic.
  return { id, stream, revision, position, type, schemaVersion, data, metadata, hash, dataJson, corrupt };
}
