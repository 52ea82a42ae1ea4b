/**
 * The export bundle (docs/read-models.md, "Export"): JSONL files of raw stored events and a
 * manifest. Shared by `export` and `verify-export`.
 */

export const EXPORT_FORMAT = 'cultivation-engine/event-export';
export const EXPORT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const CONTEXT_FILE = 'context.jsonl';
/** Directory of the material files in a bundle: one file per digest, named by it. */
export const MATERIALS_DIR = 'materials';
export const materialFile = (sha256: string) => `${MATERIALS_DIR}/${sha256}`;
export const eventsFile = (part: number) => `events-${String(part).padStart(6, '0')}.jsonl`;

export interface ExportFileEntry {
  name: string;
  /** `events`: the selected events; `context`: earlier events of the same streams, so every chain can be recomputed from its first event. */
  role: 'events' | 'context';
  sha256: string;
  bytes: number;
  events: number;
  firstPosition: number | null;
  lastPosition: number | null;
}

export interface ExportStreamEntry {
  stream: string;
  /** First and last revision selected (in the events files). */
  firstRevision: number;
  lastRevision: number;
  events: number;
  /** Hash of the event before `firstRevision` (64 zeros when the stream starts in the export). */
  previousHash: string;
  /** Hash of the last selected event: compare with the live store to anchor the bundle. */
  lastHash: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  createdAt: string;
  source: { store: string; headPosition: number };
  selection: {
    /** Events are selected by the store's clock at commit (metadata.recordedAt). */
    basis: 'recordedAt';
    /** Inclusive. */
    from: string;
    /** Exclusive. */
    to: string;
    /** Nothing committed after this position is included (the head when the export began). */
    throughPosition: number;
  };
  /** Hash layout of the events (docs/event-store.md). */
  hashChain: 'v1';
  files: ExportFileEntry[];
  counts: { events: number; context: number; streams: number; byType: Record<string, number> };
  streams: ExportStreamEntry[];
  /**
   * Every material a MaterialAttached event in the bundle (selected or context) names, with
   * its file under materials/ unless the bundle was made `--without-files` (then the digests
   * alone, which the events' hash chain already covers). Absent in bundles of older builds.
   */
  materials?: { filesIncluded: boolean; entries: ExportMaterialEntry[] };
}

export interface ExportMaterialEntry {
  stream: string;
  materialId: string;
  kind: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  /** Path in the bundle, or null without files. */
  file: string | null;
}

/** One line of a JSONL file: a raw stored event (before upcasting: exactly what its hash covers). */
export interface ExportedEvent {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: {
    correlationId: string;
    causationId: string;
    actor: { sub: string; role: string };
    occurredAt: string;
    recordedAt: string;
    [extra: string]: unknown;
  };
  hash: string;
}
