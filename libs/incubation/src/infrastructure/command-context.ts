import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { Actor } from '@engine/event-store';

/** Namespace of the deterministic ids derived from idempotency keys. */
export const IDEMPOTENCY_NAMESPACE = '0b7a3c9e-2d41-4f6b-9a58-6f1e0c2d7b13';

/** Who is acting and how the caller wants concurrency handled. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId?: string;
  /** From If-Match: act only if the aggregate is still at this revision (else 412). */
  ifMatch?: number;
  /** From Idempotency-Key: a repeat with the same key and request returns the first outcome. */
  idempotencyKey?: string;
  /** Digest of the request (method, path, body) the key was first used with. */
  requestHash?: string;
}

/** The caller's If-Match revision is stale (HTTP 412). */
export class PreconditionFailedError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the resource is at revision ${actual}, not ${expected}`);
    this.name = 'PreconditionFailedError';
  }
}

/** The same Idempotency-Key was used before with a different request (HTTP 422). */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('this Idempotency-Key was already used with a different request');
    this.name = 'IdempotencyKeyReusedError';
  }
}

export function requestDigest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Deterministic id for something created under an idempotency key (e.g. a new application). */
export function idFromIdempotencyKey(sub: string, key: string, purpose: string): string {
  return uuidv5(`${purpose}\n${sub}\n${key}`, IDEMPOTENCY_NAMESPACE);
}
