import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import {
  type Actor,
  EventStore,
  type NewEvent,
  type StoredEvent,
  WrongExpectedRevisionError,
} from '@engine/event-store';
import { Clock } from '@engine/platform';
import { conflict, DomainError } from '../domain/shared/domain-error';
import type { DomainEvent } from '../domain/shared/domain-event';

/** Namespace of the deterministic event ids derived from idempotency keys. */
const IDEMPOTENCY_NAMESPACE = '0b7a3c9e-2d41-4f6b-9a58-6f1e0c2d7b13';

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

const MAX_ATTEMPTS = 8;

/** What the repository needs of an aggregate (EventSourcedAggregate provides it). */
export interface PersistableAggregate {
  readonly stream: string;
  revision: number;
  loadFromHistory(history: DomainEvent[]): void;
  getUncommittedEvents(): DomainEvent[];
  uncommit(): void;
}

/**
 * Loads aggregates by folding their stream and saves what they decided with the exact
 * expected revision. Without If-Match, a command that loses a race is decided again on the
 * new state (and refused only if it no longer applies); with If-Match it is refused with 412.
 */
@Injectable()
export class AggregateRepository {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The aggregate as it is now, or as it stood at `until` (an instant). */
  async load<A extends PersistableAggregate>(create: () => A, until?: string): Promise<A> {
    const aggregate = create();
    const events = await this.store.readStream(aggregate.stream, until ? { until } : {});
    this.fold(aggregate, events);
    return aggregate;
  }

  /** History of the aggregate's stream, as stored (upcast), for auditors; up to `until` when given. */
  history(stream: string, until?: string): Promise<StoredEvent[]> {
    return this.store.readStream(stream, until ? { until } : {});
  }

  /**
   * Runs `act` on the current aggregate and appends what it decided. Returns the aggregate
   * after the append (or, for a repeated idempotent request, as it stood after the first one).
   */
  async execute<A extends PersistableAggregate>(
    create: () => A,
    context: CommandContext,
    act: (aggregate: A) => void | Promise<void>,
  ): Promise<A> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const aggregate = create();
      const stored = await this.store.readStream(aggregate.stream);
      this.fold(aggregate, stored);

      const earlier = context.idempotencyKey ? this.findEarlier(stored, context) : undefined;
      if (earlier !== undefined) {
        const replay = create();
        this.fold(
          replay,
          stored.filter((event) => event.revision <= earlier),
        );
        return replay;
      }
      if (context.ifMatch !== undefined && context.ifMatch !== aggregate.revision) {
        throw new PreconditionFailedError(context.ifMatch, aggregate.revision);
      }

      await act(aggregate);
      const decided = aggregate.getUncommittedEvents();
      if (decided.length === 0) return aggregate;
      try {
        const result = await this.store.append(
          aggregate.stream,
          decided.map((event, index) => this.toNewEvent(aggregate.stream, event, index, context)),
          aggregate.revision === -1 ? 'no-stream' : aggregate.revision,
        );
        aggregate.revision = result.nextRevision;
        aggregate.uncommit();
        return aggregate;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (context.ifMatch !== undefined) throw new PreconditionFailedError(context.ifMatch, error.actual);
        // Lost a race: decide again on the new state.
      }
    }
    throw conflict('CONCURRENT_UPDATES', 'the resource kept changing; try again');
  }

  private fold(aggregate: PersistableAggregate, events: StoredEvent[]): void {
    aggregate.loadFromHistory(events.map((event) => ({ type: event.type, data: event.data })));
    aggregate.revision = events.length ? events[events.length - 1].revision : -1;
  }

  /** Revision of the last event an earlier request with this key wrote, if any. */
  private findEarlier(stored: StoredEvent[], context: CommandContext): number | undefined {
    let found: number | undefined;
    for (const event of stored) {
      const meta = event.metadata as typeof event.metadata & {
        idempotencyKey?: string;
        requestHash?: string;
      };
      if (meta.idempotencyKey === context.idempotencyKey && meta.actor.sub === context.actor.sub) {
        if (meta.requestHash !== context.requestHash) throw new IdempotencyKeyReusedError();
        found = event.revision;
      }
    }
    return found;
  }

  private toNewEvent(stream: string, event: DomainEvent, index: number, context: CommandContext): NewEvent {
    const id = context.idempotencyKey
      ? uuidv5(`${context.actor.sub}\n${context.idempotencyKey}\n${stream}\n${index}`, IDEMPOTENCY_NAMESPACE)
      : randomUUID();
    return {
      id,
      type: event.type,
      data: event.data,
      metadata: {
        correlationId: context.correlationId,
        causationId: context.causationId ?? context.correlationId,
        actor: context.actor,
        occurredAt: this.clock.now().toISOString(),
        ...(context.idempotencyKey
          ? { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash }
          : {}),
      },
    };
  }
}

export { DomainError };
