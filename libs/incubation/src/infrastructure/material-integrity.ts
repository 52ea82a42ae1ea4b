import type { EventStoreBackend } from '@engine/event-store';
import { type BlobInfo, type BlobStore, checkBlob } from '@engine/platform/blob-store';
import type { MaterialAttachedData } from '../domain/application/application.events';
import type { ObjectionRaisedData } from '../domain/round/round.events';

const STREAM_PREFIX = 'application-';

/** A stored file that does not match the event that named it. */
export interface MaterialProblem {
  applicationId: string;
  materialId: string;
  kind: string;
  fileName: string;
  sha256: string;
  /** `missing`: the store does not hold it; `altered`: its bytes no longer hash to the digest. */
  problem: 'missing' | 'altered';
  /** Whether the material is still attached (a removed one's file is kept and checked too). */
  attached: boolean;
}

/** An objection's evidence file that does not match the ObjectionRaised event that named it. */
export interface EvidenceProblem {
  roundId: string;
  objectionId: string;
  applicationId: string;
  fileName: string;
  sha256: string;
  problem: 'missing' | 'altered';
}

export interface MaterialsCheck {
  ok: boolean;
  /** Materials ever attached (each MaterialAttached event). */
  materials: number;
  /** Evidence files ever filed with an objection (each file of each ObjectionRaised event). */
  evidenceFiles: number;
  /** Distinct files read back and hashed (materials and evidence share identical bytes). */
  files: number;
  problems: MaterialProblem[];
  evidenceProblems: EvidenceProblem[];
}

export interface MaterialReference extends MaterialAttachedData {
  applicationId: string;
  stream: string;
  attached: boolean;
}

/** Every material ever attached, from the MaterialAttached and MaterialRemoved events. */
export async function materialReferences(
  backend: EventStoreBackend,
  options: { through?: number } = {},
): Promise<MaterialReference[]> {
  const found = new Map<string, MaterialReference>();
  let after = 0;
  for (;;) {
    const page = await backend.readAll({
      after,
      limit: 2000,
      filter: { types: ['MaterialAttached', 'MaterialRemoved'], streamPrefixes: [STREAM_PREFIX] },
    });
    for (const event of page.events) {
      if (options.through !== undefined && event.position > options.through) return [...found.values()];
      const data = event.data as MaterialAttachedData;
      const key = `${event.stream}\n${data.materialId}`;
      if (event.type === 'MaterialAttached') {
        found.set(key, {
          ...data,
          applicationId: event.stream.slice(STREAM_PREFIX.length),
          stream: event.stream,
          attached: true,
        });
      } else {
        const earlier = found.get(key);
        if (earlier) earlier.attached = false;
      }
    }
    if (page.isEnd || page.next === after) break;
    after = page.next;
  }
  return [...found.values()];
}

/**
 * Reads back every file an application's events name and recomputes its SHA-256: a file
 * missing from the blob store, or whose bytes changed, is reported by application and material.
 */
export async function verifyMaterials(
  backend: EventStoreBackend,
  blobs: BlobStore,
  onProgress?: (done: number, total: number) => void,
): Promise<MaterialsCheck> {
  const references = await materialReferences(backend);
  const evidence = await evidenceFileReferences(backend);
  const total = references.length + evidence.length;
  const results = new Map<string, 'ok' | 'missing' | 'altered'>();
  const check = async (sha256: string, size: number) => {
    const key = `${sha256}:${size}`;
    let result = results.get(key);
    if (!result) {
      result = await checkBlob(blobs, sha256, size);
      results.set(key, result);
    }
    return result;
  };
  const problems: MaterialProblem[] = [];
  onProgress?.(0, total);
  for (const [index, ref] of references.entries()) {
    const result = await check(ref.sha256, ref.size);
    if (result !== 'ok') {
      problems.push({
        applicationId: ref.applicationId,
        materialId: ref.materialId,
        kind: ref.kind,
        fileName: ref.fileName,
        sha256: ref.sha256,
        problem: result,
        attached: ref.attached,
      });
    }
    onProgress?.(index + 1, total);
  }
  const evidenceProblems: EvidenceProblem[] = [];
  for (const [index, ref] of evidence.entries()) {
    const result = await check(ref.sha256, ref.size);
    if (result !== 'ok') {
      const { roundId, objectionId, applicationId, fileName, sha256 } = ref;
      evidenceProblems.push({ roundId, objectionId, applicationId, fileName, sha256, problem: result });
    }
    onProgress?.(references.length + index + 1, total);
  }
  return {
    ok: problems.length === 0 && evidenceProblems.length === 0,
    materials: references.length,
    evidenceFiles: evidence.length,
    files: results.size,
    problems,
    evidenceProblems,
  };
}

export interface EvidenceFileReference {
  roundId: string;
  objectionId: string;
  applicationId: string;
  fileName: string;
  sha256: string;
  size: number;
}

/** Every file objections carry as evidence (ObjectionRaised.evidenceFiles), with its objection. */
export async function evidenceFileReferences(backend: EventStoreBackend): Promise<EvidenceFileReference[]> {
  const found: EvidenceFileReference[] = [];
  let after = 0;
  for (;;) {
    const page = await backend.readAll({
      after,
      limit: 2000,
      filter: { types: ['ObjectionRaised'], streamPrefixes: ['round-'] },
    });
    for (const event of page.events) {
      const data = event.data as ObjectionRaisedData;
      for (const file of data.evidenceFiles ?? []) {
        found.push({
          roundId: event.stream.slice('round-'.length),
          objectionId: data.objectionId,
          applicationId: data.applicationId,
          fileName: file.fileName,
          sha256: file.sha256,
          size: file.size,
        });
      }
    }
    if (page.isEnd || page.next === after) break;
    after = page.next;
  }
  return found;
}

/** The digests of the files objections carry as evidence (ObjectionRaised.evidenceFiles). */
export async function evidenceReferences(backend: EventStoreBackend): Promise<string[]> {
  return [...new Set((await evidenceFileReferences(backend)).map((f) => f.sha256))];
}

/** A stored file no event names: left by an upload whose event was never appended. */
export interface OrphanBlob {
  digest: string;
  size: number;
  storedAt: string;
}

export interface OrphanCollection {
  /** Files in the store. */
  blobs: number;
  /**
   * Distinct files some event names: materials (attached or removed: the history keeps them)
   * and objections' evidence files.
   */
  referenced: number;
  /** Unreferenced files younger than the grace period: possibly an upload whose event is coming. */
  young: number;
  /** Unreferenced files older than the grace period (removed when `remove` was asked). */
  orphans: OrphanBlob[];
  removed: number;
}

/**
 * Finds, and with `remove` deletes, the files no event names and that were last put more than
 * `graceMs` before `now`. A file is written before the event that names it (docs/materials.md):
 * an append that then failed, or a crash between the two, leaves one behind. The store is listed
 * before the events are read, and each candidate is looked at again just before it is deleted, so
 * an upload that puts the same bytes meanwhile (which makes them young again) keeps its file.
 */
export async function collectOrphanBlobs(
  backend: EventStoreBackend,
  blobs: BlobStore,
  options: { graceMs: number; now: Date; remove: boolean },
): Promise<OrphanCollection> {
  const cutoff = options.now.getTime() - options.graceMs;
  const listed: BlobInfo[] = [];
  for await (const blob of blobs.list()) listed.push(blob);
  const referenced = new Set([
    ...(await materialReferences(backend)).map((r) => r.sha256),
    ...(await evidenceReferences(backend)),
  ]);
  const unreferenced = listed.filter((b) => !referenced.has(b.digest));
  const unreferencedOld = unreferenced.filter((b) => b.storedAt.getTime() <= cutoff);
  const young = unreferenced.length - unreferencedOld.length;
  const orphans: OrphanBlob[] = [];
  let removed = 0;
  for (const blob of unreferencedOld) {
    const now = await blobs.stat(blob.digest);
    if (!now || now.storedAt.getTime() > cutoff) continue; // gone, or put again meanwhile
    orphans.push({ digest: blob.digest, size: blob.size, storedAt: now.storedAt.toISOString() });
    if (options.remove && (await blobs.delete(blob.digest))) removed++;
  }
  return { blobs: listed.length, referenced: referenced.size, young, orphans, removed };
}
