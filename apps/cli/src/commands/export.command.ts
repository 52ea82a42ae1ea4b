import { createHash } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import {
  canonicalJson,
  ChainVerifier,
  createEventStoreBackend,
  type EventStoreBackend,
  GENESIS_HASH,
  type RawStoredEvent,
} from '@engine/event-store';
import { SystemClock } from '@engine/platform';
import type { MaterialAttachedData } from '@engine/incubation/domain/application/application.events';
import type { BlobStore } from '@engine/platform/blob-store';
import { createBlobStore } from '@engine/platform/blob-store';
import { pipeline } from 'node:stream/promises';
import { type CliCommand, type CliOptionSpecs, CliUsageError, parseOptions } from './command';
import { t } from './locale';
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
import { progressBar } from './progress';

const options = {
  from: {
    type: 'string',
    placeholder: 'ISO',
    description: t('起始时刻（含），ISO 8601', 'from this instant (inclusive), ISO 8601'),
  },
  to: {
    type: 'string',
    placeholder: 'ISO',
    description: t('截止时刻（不含），ISO 8601', 'to this instant (exclusive), ISO 8601'),
  },
  out: {
    type: 'string',
    placeholder: 'DIR',
    description: t('输出目录（须为新目录）', 'output directory (must be new)'),
  },
  'part-size': {
    type: 'string',
    placeholder: 'N',
    description: t('每个 JSONL 文件的事件数', 'events per JSONL file'),
  },
  'without-files': {
    type: 'boolean',
    default: false,
    description: t(
      '只导出材料文件的摘要，不带文件本身',
      "list the material files' digests only, without the files",
    ),
  },
} satisfies CliOptionSpecs;

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
  blobs?: BlobStore;
}

export class ExportRefusedError extends Error {}

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
    throw new CliUsageError('export: --from and --to must be ISO 8601 instants');
  if (toMs <= fromMs) throw new CliUsageError('export: --to must be after --from');
  const out = resolve(options.out);
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
    throw new CliUsageError(`export: ${out} exists and is not an empty directory`);
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
async function copyMaterial(blobs: BlobStore, material: ExportMaterialEntry, target: string): Promise<void> {
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

/** `npm run cli -- export --from <ISO> --to <ISO> --out DIR` */
export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'export --from ISO --to ISO --out DIR [--without-files]',
  summary: t(
    '导出 [from, to) 期间记录的事件（JSONL）、其引用的材料文件及哈希清单，供审计',
    'events recorded in [from, to) as JSONL, the material files they name, and a manifest of hashes, for auditors',
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('export', args, options, []);
    if (!values.out) throw new CliUsageError('export: --out DIR is required');
    const partSize = values['part-size'] === undefined ? undefined : Number(values['part-size']);
    if (partSize !== undefined && !(Number.isSafeInteger(partSize) && partSize > 0)) {
      throw new CliUsageError('export: --part-size must be a positive whole number');
    }
    const backend = createEventStoreBackend(config, new SystemClock());
    const blobs = values['without-files'] ? undefined : createBlobStore(config);
    const bar = progressBar(t('导出中', 'exporting'));
    try {
      const manifest = await exportEvents(backend, {
        from: values.from,
        to: values.to,
        out: values.out,
        partSize,
        onProgress: (done, total) => bar.update(done, total),
        blobs,
      });
      bar.stop();
      const digest = createHash('sha256')
        .update(readFileSync(join(resolve(values.out), MANIFEST_FILE)))
        .digest('hex');
      console.log(
        t(
          `已导出 ${manifest.counts.streams} 条流的 ${manifest.counts.events} 个事件（另有 ${manifest.counts.context} 个上下文事件）和 ${manifest.materials!.entries.length} 份材料（${blobs ? '含文件' : '仅摘要'}）到 ${resolve(values.out)}\n` +
            `manifest.json 的 sha256 为 ${digest}：请与导出包分开保存，日后据此证明导出包就是当时导出的那一份`,
          `exported ${manifest.counts.events} events of ${manifest.counts.streams} streams (+${manifest.counts.context} context events) and ${manifest.materials!.entries.length} materials (${blobs ? 'with their files' : 'digests only'}) to ${resolve(values.out)}\n` +
            `manifest.json sha256 ${digest}: keep it apart from the bundle to prove later that the bundle is the one you took`,
        ),
      );
      return 0;
    } catch (error) {
      bar.stop();
      if (error instanceof ExportRefusedError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    } finally {
      await backend.close();
      await blobs?.close();
    }
  },
};
