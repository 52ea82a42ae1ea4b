import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { HashInput, RawStoredEvent } from './event-store.port';

/** The `previous hash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** RFC 8785 canonical JSON: the same value always gives the same text, whatever key order. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

/**
 * SHA-256 over the previous hash of the stream and the canonical JSON of the event's identity,
 * type, schema version, data and metadata. Binding id, stream and revision as well as the
 * content means an event cannot be moved, renumbered or swapped without breaking the chain.
 * The exact layout is part of the audit contract (docs/event-store.md); never change it
 * without a new chain version.
 */
export function computeEventHash(input: HashInput): string {
  const body = canonicalJson({
    v: 1,
    previousHash: input.previousHash,
    id: input.id,
    stream: input.stream,
    revision: input.revision,
    type: input.type,
    schemaVersion: input.schemaVersion,
    metadata: input.metadata,
  });
  // data is appended as its stored canonical text rather than re-parsed, so the hash covers
  // exactly the bytes an auditor finds in the store or an export.
  return createHash('sha256').update(body).update('\n').update(input.dataJson).digest('hex');
}

export interface ChainBreak {
  stream: string;
  revision: number;
  reason: 'hash-mismatch' | 'revision-gap' | 'unreadable';
}

/**
 * Walks events in the store's total order and checks every stream's chain. Feed it every
 * raw event (not upcast); it keeps only the last hash of each stream in memory.
 */
export class ChainVerifier {
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private firstBreak: ChainBreak | undefined;
  private count = 0;

  add(event: RawStoredEvent): void {
    this.count++;
    if (this.firstBreak) return;
    const head = this.heads.get(event.stream);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (event.corrupt) {
      this.firstBreak = { stream: event.stream, revision: event.revision, reason: 'unreadable' };
      return;
    }
    if (event.revision !== expectedRevision) {
      this.firstBreak = { stream: event.stream, revision: expectedRevision, reason: 'revision-gap' };
      return;
    }
    const hash = computeEventHash({
      previousHash: head ? head.hash : GENESIS_HASH,
      id: event.id,
      stream: event.stream,
      revision: event.revision,
      type: event.type,
      schemaVersion: event.schemaVersion,
      dataJson: event.dataJson ?? canonicalJson(event.data),
      metadata: event.metadata,
    });
    if (hash !== event.hash) {
      this.firstBreak = { stream: event.stream, revision: event.revision, reason: 'hash-mismatch' };
      return;
    }
    this.heads.set(event.stream, { revision: event.revision, hash });
  }

  result(): VerifyResult {
    return {
      ok: this.firstBreak === undefined,
      streams: this.heads.size,
      events: this.count,
      ...(this.firstBreak ? { firstBreak: this.firstBreak } : {}),
    };
  }

  /** Last hash of every stream verified so far (for export manifests). */
  streamHeads(): ReadonlyMap<string, { revision: number; hash: string }> {
    return this.heads;
  }
}

export interface VerifyResult {
  ok: boolean;
  streams: number;
  events: number;
  firstBreak?: ChainBreak;
}
