import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  canonicalJson,
  ChainVerifier,
  type EventStoreBackend,
  GENESIS_HASH,
  type RawStoredEvent,
} from '@engine/event-store';
import type { Readable } from 'node:stream';
import type { MaterialAttachedData } from '../../domain/application/application.events';
import {
  CONTEXT_FILE,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  eventsFile,
  type ExportFileEntry,
  type ExportMaterialEntry,
  materialFile,
  MATERIALS_DIR,
  type ExportManifest,
  type ExportStreamEntry,
  MANIFEST_FILE,
} from './export-format';

/**
 * The export bundle's writer (docs/read-models.md, "Export"), shared by the CLI's `export` and
 * the api's `GET /v1/audit/export`.
 */

/** What the export reads material files from: the part of the platform's BlobStore it uses. */
export interface ExportBlobSource {
  stat(digest: string): Promise<{ size: number } | null>;
  read(digest: string): Promise<Readable>;
}

export interface ExportOptions {
  /** ISO instants; events recorded in [from, to). Defaults: the beginning, and now. */
  from?: string;
  to?: string;
  /** A directory that does not exist yet, or is empty. */
  out: string;
  /** Events per JSONL file. Default 100,000. */
  partSize?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
  /** Where the material files are read from; without it (`--without-files`) only their digests are listed. */
  blobs?: ExportBlobSource;
}

export class ExportRefusedError extends Error {}

/** The options do not describe a selection (bad instants) or the output directory is taken. */
export class ExportOptionsError extends Error {}

const PAGE = 2000;

/** A JSONL file being written, hashed as it goes. */
class JsonlWriter {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private events = 0;
  private first: number | null = null;
  private last: number | null = null;

  constructor(
    private readonly dir: string,
    readonly name: string,
    private readonly role: ExportFileEntry['role'],
  ) {
    this.stream = createWriteStream(join(dir, name), { flags: 'wx' });
  }

  get count(): number {
    return this.events;
  }

  async write(event: RawStoredEvent): Promise<void> {
    const line = `${canonicalJson({
      position: event.position,
      id: event.id,
      stream: event.stream,
      revision: event.revision,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      hash: event.hash,
    })}\n`;
    const buffer = Buffer.from(line, 'utf8');
    this.hash.update(buffer);
    this.bytes += buffer.length;
    this.events++;
    this.first ??= event.position;
    this.last = event.position;
    if (!this.stream.write(buffer)) await once(this.stream, 'drain');
  }

  async close(): Promise<ExportFileEntry> {
    this.stream.end();
    await once(this.stream, 'finish');
    return {
      name: this.name,
      role: this.role,
      sha256: this.hash.digest('hex'),
      bytes: this.bytes,
      events: this.events,
      firstPosition: this.first,
      lastPosition: this.last,
    };
  }
}

async function* scan(backend: EventStoreBackend, through: number): AsyncGenerator<RawStoredEvent> {
  let after = 0;
  for (;;) {
    const page = await backend.readAll({ after, limit: PAGE });
    for (const event of page.events) {
      if (event.position > through) return;
      yield event;
    }
    if (page.isEnd || page.next <= after || page.next >= through) return;
    after = page.next;
  }
}

/**
 * Writes the events recorded in [from, to) as JSONL files plus a manifest. For every stream
 * the selection starts part-way through, its earlier events go to context.jsonl, so that
 * verify-export can recompute every chain from its first event, offline; the manifest also
 * names each stream's hash before and after the selection. The store's own chains are checked
 * on the way: a broken record is refused rather than exported.
 */
export async function exportEvents(
  backend: EventStoreBackend,
  options: ExportOptions,
): Promise<ExportManifest> {
  const now = options.now ?? (() => new Date());
  const from = options.from ?? '1970-01-01T00:00:00.000Z';
  const to = options.to ?? now().toISOString();
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs))
    throw new ExportOptionsError('export: --from and --to must be ISO 8601 instants');
  if (toMs <= fromMs) throw new ExportOptionsError('export: --to must be after --from');
  const out = resolve(options.out);
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
    throw new ExportOptionsError(`export: ${out} exists and is not an empty directory`);
  }
  mkdirSync(out, { recursive: true });
  const partSize = options.partSize ?? 100_000;
  const head = await backend.headPosition();
  const inRange = (event: RawStoredEvent) => {
    const at = Date.parse(event.metadata?.recordedAt);
    return at >= fromMs && at < toMs;
  };

  const materials: ExportMaterialEntry[] = [];
  const noteMaterial = (event: RawStoredEvent) => {
    if (event.type !== 'MaterialAttached' || !event.stream.startsWith('application-')) return;
    const data = event.data as MaterialAttachedData;
    materials.push({
      stream: event.stream,
      materialId: data.materialId,
      kind: data.kind,
      fileName: data.fileName,
      mediaType: data.mediaType,
      size: data.size,
      sha256: data.sha256,
      file: options.blobs ? materialFile(data.sha256) : null,
    });
  };

  // Pass 1: the selection, written as it is found, and every chain checked.
  const verifier = new ChainVerifier();
  const streams = new Map<string, ExportStreamEntry>();
  const byType: Record<string, number> = {};
  const files: ExportFileEntry[] = [];
  let part: JsonlWriter | undefined;
  let selected = 0;
  for await (const event of scan(backend, head)) {
    const previous = verifier.streamHeads().get(event.stream);
    verifier.add(event);
    options.onProgress?.(event.position, head * 2);
    if (event.corrupt || !inRange(event)) continue;
    if (!part || part.count >= partSize) {
      if (part) files.push(await part.close());
      part = new JsonlWriter(out, eventsFile(files.length + 1), 'events');
    }
    await part.write(event);
    noteMaterial(event);
    selected++;
    byType[event.type] = (byType[event.type] ?? 0) + 1;
    const entry = streams.get(event.stream);
    if (entry) {
      entry.lastRevision = event.revision;
      entry.lastHash = event.hash;
      entry.events++;
    } else {
      streams.set(event.stream, {
        stream: event.stream,
        firstRevision: event.revision,
        lastRevision: event.revision,
        events: 1,
        previousHash: previous?.hash ?? GENESIS_HASH,
        lastHash: event.hash,
      });
    }
  }
  if (part) files.push(await part.close());
  const check = verifier.result();
  if (!check.ok) {
    const b = check.firstBreak!;
    throw new ExportRefusedError(
      `the store's hash chain is broken at ${b.stream} revision ${b.revision} (${b.reason}); run verify, nothing exported`,
    );
  }

  // Pass 2: the context, every earlier (or interleaved, unselected) event of a selected stream.
  let context = 0;
  const needsContext = [...streams.values()].some(
    (s) => s.firstRevision > 0 || s.events !== s.lastRevision - s.firstRevision + 1,
  );
  if (needsContext) {
    const writer = new JsonlWriter(out, CONTEXT_FILE, 'context');
    for await (const event of scan(backend, head)) {
      options.onProgress?.(head + event.position, head * 2);
      const entry = streams.get(event.stream);
      if (!entry || event.revision > entry.lastRevision || inRange(event)) continue;
      await writer.write(event);
      noteMaterial(event);
      context++;
    }
    files.push(await writer.close());
  }
  options.onProgress?.(head * 2, head * 2);

  // The files the events name, each copied once and checked against its digest on the way.
  if (options.blobs && materials.length) {
    mkdirSync(join(out, MATERIALS_DIR));
    const copied = new Set<string>();
    for (const material of materials) {
      if (copied.has(material.sha256)) continue;
      copied.add(material.sha256);
      await copyMaterial(options.blobs, material, join(out, materialFile(material.sha256)));
    }
  }
  materials.sort((a, b) =>
    a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.materialId < b.materialId ? -1 : 1,
  );

  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    createdAt: now().toISOString(),
    source: { store: backend.name, headPosition: head },
    selection: {
      basis: 'recordedAt',
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      throughPosition: head,
    },
    hashChain: 'v1',
    files,
    counts: { events: selected, context, streams: streams.size, byType },
    streams: [...streams.values()].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)),
    materials: { filesIncluded: options.blobs !== undefined, entries: materials },
  };
  const manifestStream = createWriteStream(join(out, MANIFEST_FILE), { flags: 'wx' });
  manifestStream.end(`${JSON.stringify(manifest, null, 2)}\n`);
  await once(manifestStream, 'finish');
  return manifest;
}

/** Streams a stored file into the bundle, refusing the export when it does not match its digest. */
async function copyMaterial(
  blobs: ExportBlobSource,
  material: ExportMaterialEntry,
  target: string,
): Promise<void> {
  const where = `${material.stream} material ${material.materialId} (${material.fileName})`;
  const stored = await blobs.stat(material.sha256);
  if (!stored) throw new ExportRefusedError(`the file of ${where} is missing; run verify, nothing exported`);
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    await blobs.read(material.sha256),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(target, { flags: 'wx' }),
  );
  if (hash.digest('hex') !== material.sha256 || size !== material.size) {
    throw new ExportRefusedError(`the file of ${where} was altered; run verify, nothing exported`);
  }
}
