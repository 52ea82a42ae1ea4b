import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { EventStore, type NewEvent, type StoredEvent, WrongExpectedRevisionError } from '@engine/event-store';
import { Clock } from '@engine/platform';
import { applicationDecider, type ApplicationState } from '../domain/application/application.decider';
import { applicationStream } from '../domain/application/application.events';
import { enterpriseDecider, type EnterpriseState } from '../domain/enterprise/enterprise.decider';
import { enterpriseStream } from '../domain/enterprise/enterprise.events';
import { expertPoolDecider, type ExpertPoolState } from '../domain/expert-pool/expert-pool.decider';
import { EXPERT_POOL_STREAM } from '../domain/expert-pool/expert-pool.events';
import { membershipDecider, type MembershipState } from '../domain/membership/membership.decider';
import { membershipStream } from '../domain/membership/membership.events';
import { roundDecider, type RoundState } from '../domain/round/round.decider';
import { roundStream } from '../domain/round/round.events';
import { conflict } from '../domain/shared/domain-error';
import { type Decider, type DomainEvent, fold } from '../domain/shared/domain-event';
import {
  type CommandContext,
  IDEMPOTENCY_NAMESPACE,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
} from './command-context';

/** An aggregate as folded from its stream: what a query or a command answer shows. */
export interface Aggregate<State> {
  readonly stream: string;
  readonly state: State;
  /** Revision of the last event folded in; -1 for a stream with no events. */
  readonly revision: number;
}

/** What a command did: the aggregate after it, and the events it wrote (or the first request wrote). */
export interface Handled<State, Event extends DomainEvent> extends Aggregate<State> {
  readonly events: readonly Event[];
  /** A repeat of an earlier request with the same Idempotency-Key: nothing was decided now. */
  readonly replayed: boolean;
}

/**
 * Gathers the facts the decision needs and builds the command, on the aggregate as it is now.
 * Access checks and refusals that need no decision may throw; `undefined` means nothing to do
 * (a saga step asking again).
 */
export type CommandFor<State, Command> = (
  current: Aggregate<State>,
) => Command | undefined | Promise<Command | undefined>;

export interface HandleOptions<State, Event extends DomainEvent> {
  /** Runs after the decision and before the append (e.g. reserving a document number). */
  beforeAppend?: (events: readonly Event[], state: State) => Promise<void>;
}

const MAX_ATTEMPTS = 8;

interface CachedAggregate {
  /** The decider that folded it (a stream is folded by one decider; checked all the same). */
  decider: object;
  state: unknown;
  revision: number;
  /** Id of the event at `revision`: read back to prove the stream still holds what was folded. */
  eventId: string;
}

/**
 * Folded aggregates by stream, bounded (least recently used out), so that loading an aggregate
 * reads and folds only the events after the revision it was folded to. Nothing is trusted
 * without asking the store: a load first asks for the stream's tip (revision and id of its
 * last event, from the index, where the adapter can) and uses the cached state as it is when
 * the tip is the event folded last; otherwise it reads the stream from the cached revision
 * itself, and uses the cached state only if the event stored at that revision is the one folded
 * last (a stream another process appended to yields the new events; a file restored to an older
 * copy yields another event or none, and the stream is read whole). States are values: deciders' `evolve`
 * returns a new state and never changes the one it is given.
 */
export class AggregateCache {
  private readonly entries = new Map<string, CachedAggregate>();

  constructor(readonly capacity = 4096) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The stream as it is now, folded: the cached state with the events after it, or the whole
   * stream. `stored` is every event read (for the idempotency check: only on a full read).
   */
  async load<State, Event extends DomainEvent>(
    store: EventStore,
    decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
    stream: string,
  ): Promise<Aggregate<State>> {
    const cached = this.entries.get(stream);
    if (cached && cached.decider === decider) {
      if (store.readsStreamTips) {
        // The stream's last event, from the index: when it is the one folded last, nothing was
        // appended since and no event needs reading or decoding (the usual case).
        const tip = await store.streamTip(stream);
        if (tip !== undefined && tip.revision === cached.revision && tip.id === cached.eventId) {
          this.touch(stream, cached);
          return { stream, state: cached.state as State, revision: cached.revision };
        }
        if (tip === undefined || tip.revision < cached.revision) {
          this.entries.delete(stream);
          return this.fold(decider, stream, await store.readStream(stream));
        }
      }
      const stored = await store.readStream(stream, { fromRevision: cached.revision });
      if (stored.length > 0 && stored[0].revision === cached.revision && stored[0].id === cached.eventId) {
        let state = cached.state as State;
        for (let i = 1; i < stored.length; i++)
          state = decider.evolve(state, domainEvent(stored[i]) as Event);
        const last = stored[stored.length - 1];
        if (stored.length > 1) this.remember(stream, decider, state, last.revision, last.id);
        else this.touch(stream, cached);
        return { stream, state, revision: last.revision };
      }
      this.entries.delete(stream);
    }
    return this.fold(decider, stream, await store.readStream(stream));
  }

  /** Folds a whole stream as read, and remembers the result. */
  fold<State, Event extends DomainEvent>(
    decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
    stream: string,
    stored: readonly StoredEvent[],
  ): Aggregate<State> {
    const state = fold(decider, stored.map(domainEvent) as Event[]);
    if (stored.length === 0) return { stream, state, revision: -1 };
    const last = stored[stored.length - 1];
    this.remember(stream, decider, state, last.revision, last.id);
    return { stream, state, revision: last.revision };
  }

  remember(stream: string, decider: object, state: unknown, revision: number, eventId: string): void {
    if (this.capacity === 0) return;
    this.entries.delete(stream);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(stream, { decider, state, revision, eventId });
  }

  forget(stream: string): void {
    this.entries.delete(stream);
  }

  private touch(stream: string, entry: CachedAggregate): void {
    this.entries.delete(stream);
    this.entries.set(stream, entry);
  }
}

/**
 * The one command handler: load the stream, fold it, answer a repeated Idempotency-Key with
 * the first outcome (whatever happened since), check If-Match, gather the facts and decide,
 * append with the expected revision. A lost race runs everything again on the new state
 * (every precondition included); with If-Match it is refused with 412 instead.
 */
export async function handleCommand<State, Command, Event extends DomainEvent>(
  store: EventStore,
  clock: Clock,
  decider: Decider<State, Command, Event>,
  stream: string,
  context: CommandContext,
  commandFor: CommandFor<State, Command>,
  options: HandleOptions<State, Event> = {},
  cache: AggregateCache = new AggregateCache(0),
): Promise<Handled<State, Event>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let current: Aggregate<State>;
    if (context.idempotencyKey) {
      // The key may have been used by any earlier event: the whole stream is read.
      const stored = await store.readStream(stream);
      const earlier = firstOutcome(stored, context);
      if (earlier) {
        const before = stored.filter((event) => event.revision <= earlier.revision);
        return {
          stream,
          state: fold(decider, before.map(domainEvent) as Event[]),
          revision: earlier.revision,
          events: earlier.events.map(domainEvent) as Event[],
          replayed: true,
        };
      }
      current = cache.fold(decider, stream, stored);
    } else {
      current = await cache.load(store, decider, stream);
    }
    if (context.ifMatch !== undefined && context.ifMatch !== current.revision) {
      throw new PreconditionFailedError(context.ifMatch, current.revision);
    }
    const command = await commandFor(current);
    const events = command === undefined ? [] : decider.decide(command, current.state);
    if (events.length === 0) return { ...current, events, replayed: false };
    const state = events.reduce(decider.evolve, current.state);
    await options.beforeAppend?.(events, state);
    const written = events.map((event, index) => toNewEvent(clock, stream, event, index, context));
    try {
      const result = await store.append(
        stream,
        written,
        current.revision === -1 ? 'no-stream' : current.revision,
      );
      // The state after our events, as the next load would fold it (that load checks that the
      // event at this revision is our last one before it trusts the state). Not under an
      // idempotency key: the store may have answered with an earlier request's events.
      if (!context.idempotencyKey && result.nextRevision === current.revision + written.length) {
        cache.remember(stream, decider, state, result.nextRevision, written[written.length - 1].id);
      }
      return { stream, state, revision: result.nextRevision, events, replayed: false };
    } catch (error) {
      cache.forget(stream);
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (context.ifMatch !== undefined) throw new PreconditionFailedError(context.ifMatch, error.actual);
      // Lost a race: gather and decide again on the new state.
    }
  }
  throw conflict('CONCURRENT_UPDATES', 'the resource kept changing; try again');
}

const domainEvent = (event: StoredEvent): DomainEvent => ({ type: event.type, data: event.data });

/** The events an earlier request with this key wrote, if any. */
function firstOutcome(
  stored: StoredEvent[],
  context: CommandContext,
): { revision: number; events: StoredEvent[] } | undefined {
  const events = stored.filter((event) => {
    const meta = event.metadata as typeof event.metadata & { idempotencyKey?: string; requestHash?: string };
    if (meta.idempotencyKey !== context.idempotencyKey || meta.actor.sub !== context.actor.sub) return false;
    if (meta.requestHash !== context.requestHash) throw new IdempotencyKeyReusedError();
    return true;
  });
  return events.length ? { revision: events[events.length - 1].revision, events } : undefined;
}

function toNewEvent(
  clock: Clock,
  stream: string,
  event: DomainEvent,
  index: number,
  context: CommandContext,
): NewEvent & { id: string } {
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
      occurredAt: clock.now().toISOString(),
      ...(context.idempotencyKey
        ? { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash }
        : {}),
    },
  };
}

/** The event store seen through the deciders: load and fold for queries, handle for commands. */
@Injectable()
export class Aggregates {
  /** Folded aggregates of this process (AggregateCache: every load still asks the store). */
  readonly cache = new AggregateCache();

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The aggregate as it is now, or as it stood at `until` (an instant). */
  async load<State, Event extends DomainEvent>(
    decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
    stream: string,
    until?: string,
  ): Promise<Aggregate<State>> {
    if (until === undefined) return this.cache.load(this.store, decider, stream);
    const stored = await this.store.readStream(stream, { until });
    return {
      stream,
      state: fold(decider, stored.map(domainEvent) as Event[]),
      revision: stored.length ? stored[stored.length - 1].revision : -1,
    };
  }

  application(applicationId: string, until?: string): Promise<Aggregate<ApplicationState>> {
    return this.load(applicationDecider, applicationStream(applicationId), until);
  }

  round(roundId: string, until?: string): Promise<Aggregate<RoundState>> {
    return this.load(roundDecider, roundStream(roundId), until);
  }

  enterprise(creditCode: string, until?: string): Promise<Aggregate<EnterpriseState>> {
    return this.load(enterpriseDecider, enterpriseStream(creditCode), until);
  }

  membership(membershipId: string): Promise<Aggregate<MembershipState>> {
    return this.load(membershipDecider, membershipStream(membershipId));
  }

  expertPool(): Promise<Aggregate<ExpertPoolState>> {
    return this.load(expertPoolDecider, EXPERT_POOL_STREAM);
  }

  /** History of a stream, as stored (upcast), for auditors; up to `until` when given. */
  history(stream: string, until?: string): Promise<StoredEvent[]> {
    return this.store.readStream(stream, until ? { until } : {});
  }

  /**
   * handleCommand on this store and clock, for one decider: `aggregates.of(decider).handle(...)`
   * (bound first, so the command literal a handler returns is typed by the decider's union).
   */
  of<State, Command, Event extends DomainEvent>(
    decider: Decider<State, Command, Event>,
  ): {
    handle(
      stream: string,
      context: CommandContext,
      commandFor: CommandFor<State, Command>,
      options?: HandleOptions<State, Event>,
    ): Promise<Handled<State, Event>>;
  } {
    return {
      handle: (stream, context, commandFor, options) =>
        handleCommand(this.store, this.clock, decider, stream, context, commandFor, options, this.cache),
    };
  }
}
