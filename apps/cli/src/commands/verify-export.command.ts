import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ChainVerifier, GENESIS_HASH, type RawStoredEvent } from '@engine/event-store';
import { type CliCommand, type CliOptionSpecs, CliUsageError, EXIT, parseOptions } from './command';
import { t } from './locale';
import { progressBar } from './progress';
import {
  EXPORT_FORMAT,
  type ExportedEvent,
  type ExportFileEntry,
  type ExportManifest,
  type ExportStreamEntry,
  MANIFEST_FILE,
  materialFile,
  MATERIALS_DIR,
} from '@engine/incubation';

const options = {
  json: { type: 'boolean', default: false, description: t('以 JSON 输出结果', 'print the result as JSON') },
} satisfies CliOptionSpecs;
const positional = [{ syntax: '<dir>', description: t('导出包所在目录', 'the export bundle directory') }];

export interface VerifyExportResult {
  ok: boolean;
  /** Every discrepancy found, in the order found (the first is the one to look at). */
  problems: string[];
  events: number;
  context: number;
  streams: number;
  /** SHA-256 of manifest.json as found: compare with the digest printed when it was exported. */
  manifestSha256?: string;
}

const MAX_PROBLEMS = 100;

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Line {
  file: string;
  line: number;
  event: RawStoredEvent;
}

function parseLine(text: string): RawStoredEvent | string {
  let value: ExportedEvent;
  try {
    value = JSON.parse(text) as ExportedEvent;
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const ok =
    value !== null &&
    typeof value === 'object' &&
    Number.isSafeInteger(value.position) &&
    typeof value.id === 'string' &&
    typeof value.stream === 'string' &&
    Number.isSafeInteger(value.revision) &&
    typeof value.type === 'string' &&
    Number.isSafeInteger(value.schemaVersion) &&
    'data' in value &&
    value.metadata !== null &&
    typeof value.metadata === 'object' &&
    typeof value.hash === 'string';
  if (!ok) return 'not an exported event (a field is missing or of the wrong type)';
  return {
    id: value.id,
    stream: value.stream,
    revision: value.revision,
    position: value.position,
    type: value.type,
    schemaVersion: value.schemaVersion,
    data: value.data,
    metadata: value.metadata as RawStoredEvent['metadata'],
    hash: value.hash,
  };
}

/** The lines of the files, in order, parsed; unparseable lines are reported and skipped. */
async function* readFiles(
  dir: string,
  files: ExportFileEntry[],
  problem: (message: string) => void,
): AsyncGenerator<Line> {
  for (const entry of files) {
    const path = join(dir, entry.name);
    if (!existsSync(path)) continue;
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text === '') {
        problem(`${entry.name}:${n}: empty line`);
        continue;
      }
      const event = parseLine(text);
      if (typeof event === 'string') problem(`${entry.name}:${n}: ${event}`);
      else yield { file: entry.name, line: n, event };
    }
  }
}

/** Merges two position-ordered sequences into one. */
async function* mergeByPosition(
  a: AsyncGenerator<Line>,
  b: AsyncGenerator<Line>,
): AsyncGenerator<Line & { context: boolean }> {
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    if (!x.done && (y.done || x.value.event.position <= y.value.event.position)) {
      yield { ...x.value, context: false };
      x = await a.next();
    } else if (!y.done) {
      yield { ...y.value, context: true };
      y = await b.next();
    }
  }
}

/**
 * Checks an export bundle offline, without the database: every file's SHA-256 against the
 * manifest, then every event's hash chain recomputed with the event store's ChainVerifier
 * from the context and selected events in position order, then each stream's hash before and
 * after the selection, the selection's time range and the counts.
 */
export async function verifyExport(
  directory: string,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifyExportResult> {
  const dir = resolve(directory);
  const problems: string[] = [];
  const problem = (message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(message);
  };
  const result = (extra: Partial<VerifyExportResult> = {}): VerifyExportResult => ({
    ok: problems.length === 0,
    problems,
    events: 0,
    context: 0,
    streams: 0,
    ...extra,
  });

  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    problem(`${MANIFEST_FILE} is missing`);
    return result();
  }
  const manifestBytes = readFileSync(manifestPath);
  const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
  let manifest: ExportManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as ExportManifest;
  } catch (error) {
    problem(`${MANIFEST_FILE} is not JSON: ${(error as Error).message}`);
    return result({ manifestSha256 });
  }
  if (
    manifest?.format !== EXPORT_FORMAT ||
    manifest.formatVersion !== 1 ||
    !Array.isArray(manifest.files) ||
    !Array.isArray(manifest.streams)
  ) {
    problem(`${MANIFEST_FILE} is not a version 1 ${EXPORT_FORMAT} manifest`);
    return result({ manifestSha256 });
  }

  // 1. The files are the ones the manifest lists, byte for byte.
  const listed = new Set(manifest.files.map((f) => f.name));
  const materialsListed = manifest.materials?.filesIncluded === true;
  for (const name of readdirSync(dir)) {
    if (name === MATERIALS_DIR && materialsListed) continue;
    if (name !== MANIFEST_FILE && !listed.has(name)) problem(`${name} is not listed in the manifest`);
  }
  for (const entry of manifest.files) {
    const path = join(dir, entry.name);
    if (!/^[\w.-]+$/.test(entry.name) || !existsSync(path) || !statSync(path).isFile()) {
      problem(`${entry.name} is missing`);
      continue;
    }
    const digest = await sha256File(path);
    if (digest !== entry.sha256)
      problem(`${entry.name}: SHA-256 is ${digest}, the manifest says ${entry.sha256}`);
  }

  // 2. Every chain, recomputed from the events themselves.
  const fromMs = Date.parse(manifest.selection?.from);
  const toMs = Date.parse(manifest.selection?.to);
  const expected = new Map<string, ExportStreamEntry>(manifest.streams.map((s) => [s.stream, s]));
  const seen = new Map<string, { first: number; last: number; events: number }>();
  const fileCounts = new Map<string, number>();
  const verifier = new ChainVerifier();
  const selected = readFiles(
    dir,
    manifest.files.filter((f) => f.role === 'events'),
    problem,
  );
  const context = readFiles(
    dir,
    manifest.files.filter((f) => f.role === 'context'),
    problem,
  );
  let lastPosition = 0;
  let events = 0;
  let contextEvents = 0;
  /** MaterialAttached events found in the bundle: `stream\nmaterialId` -> digest and size. */
  const attached = new Map<string, { sha256: unknown; size: unknown }>();
  const total = (manifest.counts?.events ?? 0) + (manifest.counts?.context ?? 0);
  let read = 0;
  for await (const { file, line, event, context: isContext } of mergeByPosition(selected, context)) {
    if (++read % 1000 === 0) onProgress?.(read, total);
    fileCounts.set(file, (fileCounts.get(file) ?? 0) + 1);
    const where = `${file}:${line}`;
    if (event.type === 'MaterialAttached' && event.stream.startsWith('application-')) {
      const data = event.data as { materialId?: unknown; sha256?: unknown; size?: unknown };
      attached.set(`${event.stream}\n${String(data.materialId)}`, { sha256: data.sha256, size: data.size });
    }
    if (event.position <= lastPosition) problem(`${where}: position ${event.position} out of order`);
    lastPosition = Math.max(lastPosition, event.position);
    const recordedAt = Date.parse(event.metadata?.recordedAt);
    const inRange = recordedAt >= fromMs && recordedAt < toMs;
    if (isContext) {
      contextEvents++;
      if (inRange) problem(`${where}: a context event recorded inside the selection`);
    } else {
      events++;
      if (!inRange) problem(`${where}: recorded at ${event.metadata?.recordedAt}, outside the selection`);
      const s = seen.get(event.stream);
      if (!s) {
        const declared = expected.get(event.stream);
        const before = verifier.streamHeads().get(event.stream)?.hash ?? GENESIS_HASH;
        if (declared && declared.previousHash !== before) {
          problem(
            `${event.stream}: the hash before revision ${event.revision} is ${before}, the manifest says ${declared.previousHash}`,
          );
        }
        seen.set(event.stream, { first: event.revision, last: event.revision, events: 1 });
      } else {
        s.last = event.revision;
        s.events++;
      }
    }
    const wasOk = verifier.result().ok;
    verifier.add(event);
    const now = verifier.result();
    if (wasOk && !now.ok) {
      const b = now.firstBreak!;
      problem(`${where}: hash chain broken at ${b.stream} revision ${b.revision} (${b.reason})`);
    }
  }

  onProgress?.(read, Math.max(total, read));

  // 3. What the manifest says about each stream and file.
  const heads = verifier.streamHeads();
  for (const declared of manifest.streams) {
    const s = seen.get(declared.stream);
    if (!s) {
      problem(`${declared.stream}: listed in the manifest, but none of its events are in the bundle`);
      continue;
    }
    if (
      s.first !== declared.firstRevision ||
      s.last !== declared.lastRevision ||
      s.events !== declared.events
    ) {
      problem(
        `${declared.stream}: revisions ${s.first}..${s.last} (${s.events} events), the manifest says ${declared.firstRevision}..${declared.lastRevision} (${declared.events})`,
      );
    }
    const head = heads.get(declared.stream);
    if (
      verifier.result().ok &&
      head &&
      head.revision === declared.lastRevision &&
      head.hash !== declared.lastHash
    ) {
      problem(`${declared.stream}: last hash ${head.hash}, the manifest says ${declared.lastHash}`);
    }
  }
  for (const stream of seen.keys()) {
    if (!expected.has(stream)) problem(`${stream}: in the bundle but not in the manifest`);
  }
  for (const entry of manifest.files) {
    const found = fileCounts.get(entry.name) ?? 0;
    if (existsSync(join(dir, entry.name)) && found !== entry.events) {
      problem(`${entry.name}: ${found} events, the manifest says ${entry.events}`);
    }
  }
  await checkMaterials(dir, manifest, attached, problem);
  if (events !== manifest.counts?.events)
    problem(`${events} selected events, the manifest says ${manifest.counts?.events}`);
  if (contextEvents !== manifest.counts?.context) {
    problem(`${contextEvents} context events, the manifest says ${manifest.counts?.context}`);
  }
  return result({ events, context: contextEvents, streams: seen.size, manifestSha256 });
}

/**
 * The materials: the manifest lists exactly the files the bundle's MaterialAttached events
 * name (whose digests the hash chain covers), and each file present hashes to its digest.
 */
async function checkMaterials(
  dir: string,
  manifest: ExportManifest,
  attached: Map<string, { sha256: unknown; size: unknown }>,
  problem: (message: string) => void,
): Promise<void> {
  if (!manifest.materials) {
    if (attached.size) problem(`${MANIFEST_FILE} lists no materials, but the events attach ${attached.size}`);
    return;
  }
  const { filesIncluded, entries } = manifest.materials;
  const listed = new Set<string>();
  const digests = new Set<string>();
  for (const entry of entries) {
    const key = `${entry.stream}\n${entry.materialId}`;
    listed.add(key);
    const what = `application ${entry.stream.replace(/^application-/, '')} material ${entry.materialId} (${entry.kind}, ${entry.fileName})`;
    const event = attached.get(key);
    if (!event)
      problem(`${what}: listed in the manifest, but no MaterialAttached event in the bundle names it`);
    else if (event.sha256 !== entry.sha256 || event.size !== entry.size)
      problem(
        `${what}: the manifest says ${entry.sha256} (${entry.size} bytes), its event ${String(event.sha256)}`,
      );
    if (!filesIncluded || digests.has(entry.sha256)) continue;
    digests.add(entry.sha256);
    const path = join(dir, materialFile(entry.sha256));
    if (!/^[0-9a-f]{64}$/.test(entry.sha256) || !existsSync(path) || !statSync(path).isFile()) {
      problem(`${what}: its file ${materialFile(entry.sha256)} is missing`);
      continue;
    }
    const digest = await sha256File(path);
    const size = statSync(path).size;
    if (digest !== entry.sha256 || size !== entry.size)
      problem(
        `${what}: its file ${materialFile(entry.sha256)} is altered (SHA-256 ${digest}, ${size} bytes)`,
      );
  }
  for (const key of attached.keys()) {
    if (!listed.has(key)) {
      const [stream, materialId] = key.split('\n');
      problem(`${stream}: material ${materialId} is attached in the events but missing from the manifest`);
    }
  }
  if (filesIncluded && existsSync(join(dir, MATERIALS_DIR))) {
    for (const name of readdirSync(join(dir, MATERIALS_DIR))) {
      if (!digests.has(name)) problem(`${MATERIALS_DIR}/${name} is not listed in the manifest`);
    }
  }
}

/** `npm run cli -- verify-export DIR`: exit 0 when intact, 2 when anything was altered. */
export const verifyExportCommand: CliCommand = {
  name: 'verify-export',
  usage: 'verify-export DIR [--json]',
  summary: t(
    '离线校验导出包：文件摘要与每条哈希链（被改动时退出码 2）',
    'check an export bundle offline: file digests and every hash chain (exit 2 if altered)',
  ),
  arguments: positional,
  options,
  async run(args) {
    const { values, positionals } = parseOptions('verify-export', args, options, positional);
    if (positionals.length !== 1)
      throw new CliUsageError('verify-export: give the bundle directory: verify-export DIR');
    const dir = resolve(positionals[0]);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new CliUsageError(`verify-export: ${dir} is not a directory`);
    const bar = progressBar(t('校验导出包', 'verifying the export'));
    let outcome: VerifyExportResult;
    try {
      outcome = await verifyExport(dir, (done, total) => bar.update(done, total));
    } finally {
      bar.stop();
    }
    if (values.json) console.log(JSON.stringify(outcome));
    else if (outcome.ok) {
      console.log(
        t(
          `完好：${outcome.streams} 条流共 ${outcome.events} 个事件（另有上下文事件 ${outcome.context} 个），文件摘要、材料文件与哈希链全部完整\n`,
          `ok: ${outcome.events} events (+${outcome.context} context) in ${outcome.streams} streams, every file digest, material file and hash chain intact\n`,
        ) + `manifest.json sha256 ${outcome.manifestSha256}`,
      );
    } else {
      console.log(
        t(
          `已被篡改或损坏（TAMPERED）：${outcome.problems.length} 处问题`,
          `TAMPERED or damaged: ${outcome.problems.length} problem(s)`,
        ),
      );
      for (const p of outcome.problems) console.log(`  - ${p}`);
    }
    return outcome.ok ? EXIT.ok : EXIT.broken;
  },
};
