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

/**
 * A lean read's event (`ReadAllOptions.lean`): no id or hash, metadata reduced to the
 * `occurredAt` the backend extracted (null when the stored metadata could not be read, which
 * marks the event corrupt). The same object shape as {@link decodeStoredColumns}.
 */
export function decodeLeanColumns(
  stream: string,
  revision: number,
  position: number,
  type: string,
  schemaVersion: number,
  dataJson: string,
  occurredAt: string | null,
): RawStoredEvent {
  let data: unknown = null;
  let corrupt: string | undefined;
  try {
    data = JSON.parse(dataJson);
  } catch (error) {
    corrupt = `stored JSON cannot be parsed: ${(error as Error).message}`;
  }
  if (typeof occurredAt !== 'string') corrupt ??= 'stored metadata cannot be parsed or has no occurredAt';
  const metadata = { occurredAt } as EventMetadata;
  return {
    id: '',
    stream,
    revision,
    position,
    type,
    schemaVersion,
    data,
    metadata,
    hash: '',
    dataJson,
    corrupt,
  };
}
