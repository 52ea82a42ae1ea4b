import type { ExpectedRevision } from './event-store.port';

/** Base class of every error the event store raises on purpose. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was not at the expected revision. `actual` is -1 when the stream does not exist. */
export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super(
      `stream ${stream}: expected revision ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`,
    );
  }
}

/** An append was refused before touching the store (bad type, not JSON, too large...). */
export class InvalidEventError extends EventStoreError {
  readonly code = 'INVALID_EVENT';
  constructor(
    message: string,
    readonly index: number,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Some but not all of the event ids of an append are already stored, or they are stored in
 * another stream or order: this is not a retry of an earlier append, and nothing is written.
 */
export class IdempotencyConflictError extends EventStoreError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
  constructor(
    readonly stream: string,
    readonly eventId: string,
  ) {
    super(
      `event ${eventId} is already stored, but the append is not an exact retry of the one that stored it`,
    );
  }
}

/** The backend cannot be reached or refused the operation for a reason outside our semantics. */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
