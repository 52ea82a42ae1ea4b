import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { appendRequest } from './append-plan';
import { InvalidEventError, WrongExpectedRevisionError } from './event-store.errors';
import type {
  AppendResult,
  EventStoreBackend,
  ExpectedRevision,
  NewEvent,
  RawStoredEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  StoredEvent,
  StreamTip,
  SubscribeOptions,
  Subscription,
} from './event-store.port';
import { DEFAULT_EVENT_LIMITS, type EventLimits, prepareEvents } from './event-validation';
import { ChainVerifier, type VerifyResult } from './hash-chain';
import { hasMetadataFilter, metadataFilterPredicate, withoutMetadataFilter } from './metadata-filter';
import { CatchUpSubscription } from './subscription';
import { UpcasterRegistry } from './upcasting';

/** How one append went: for metrics (see EventStore.observeAppends). */
export interface AppendTiming {
  stream: string;
  events: number;
  seconds: number;
  outcome: 'ok' | 'conflict' | 'error';
}

export interface EventStoreOptions {
  upcasters?: UpcasterRegistry;
  limits?: Partial<EventLimits>;
}

/**
 * The event store as the rest of the engine sees it. Inject this class; the adapter behind it
 * is chosen by configuration (EVENT_STORE). Reads return events upcast to their latest schema.
 */
export class EventStore {
  readonly upcasters: UpcasterRegistry;
  private readonly limits: EventLimits;
  private readonly subscriptions = new Set<CatchUpSubscription<never>>();
  private readonly appendObservers = new Set<(timing: AppendTiming) => void>();

  constructor(
    readonly backend: EventStoreBackend,
    options: EventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.limits = { ...DEFAULT_EVENT_LIMITS, ...options.limits };
  }

  /**
   * Appends atomically: all events or none. Throws WrongExpectedRevisionError (with the actual
   * revision) when `expected` does not hold, InvalidEventError before touching the store for
   * bad input. Repeating an append with the same event ids returns the first result.
   */
  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (!(
      expected === 'any' ||
      expected === 'no-stream' ||
      (Number.isSafeInteger(expected) && expected >= 0)
    )) {
      throw new InvalidEventError(
        `expected revision must be a revision >= 0, 'no-stream' or 'any'`,
        -1,
        'expected',
      );
    }
    const prepared = prepareEvents(stream, withTraceContext(events), this.limits);
    // A child of the command's span when tracing is on (docs/operations.md); a no-op otherwise.
    return trace.getTracer('cultivation-engine').startActiveSpan(
      'append',
      {
        attributes: {
          'engine.stream': stream,
          'engine.events': prepared.length,
          'engine.backend': this.backend.name,
        },
      },
      async (span) => {
        try {
          return await this.appendPrepared(stream, prepared, expected);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async appendPrepared(
    stream: string,
    prepared: ReturnType<typeof prepareEvents>,
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const request = appendRequest(stream, prepared, expected);
    if (this.appendObservers.size === 0) return this.backend.append(request);
    const started = performance.now();
    try {
      const result = await this.backend.append(request);
      this.observed(stream, prepared.length, started, 'ok');
      return result;
    } catch (error) {
      this.observed(
        stream,
        prepared.length,
        started,
        error instanceof WrongExpectedRevisionError ? 'conflict' : 'error',
      );
      throw error;
    }
  }

  /**
   * Calls `observer` after each append (validated input only) with how long the backend took to
   * make it durable and how it ended. Observers must be cheap and must not throw. Returns the
   * function that stops observing.
   */
  observeAppends(observer: (timing: AppendTiming) => void): () => void {
    this.appendObservers.add(observer);
    return () => this.appendObservers.delete(observer);
  }

  private observed(stream: string, events: number, started: number, outcome: AppendTiming['outcome']): void {
    const timing: AppendTiming = { stream, events, seconds: (performance.now() - started) / 1000, outcome };
    for (const observer of this.appendObservers) observer(timing);
  }

  async readStream<T = unknown>(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent<T>[]> {
    if (options.until !== undefined && Number.isNaN(Date.parse(options.until))) {
      throw new InvalidEventError('until must be an ISO 8601 instant', -1, 'until');
    }
    const raw = await this.backend.readStream(stream, options);
    return raw.map((event) => this.upcasters.upcast<T>(event));
  }

  async readAll<T = unknown>(options: ReadAllOptions): Promise<ReadAllPage<T>> {
    const page = await readAllFiltered(this.backend, options);
    return { ...page, events: page.events.map((event) => this.upcasters.upcast<T>(event)) };
  }

  /** Whether {@link streamTip} is answered by the adapter (SQLite) rather than refused. */
  get readsStreamTips(): boolean {
    return this.backend.streamTip !== undefined;
  }

  /**
   * The revision and id of the stream's last event, undefined when there is no such stream:
   * one index lookup and no event decoded, which is how a cached fold learns that nothing
   * was appended since (handle-command.ts). Refused when the adapter cannot ({@link readsStreamTips}).
   */
  streamTip(stream: string): Promise<StreamTip | undefined> {
    if (this.backend.streamTip === undefined) {
      return Promise.reject(new Error(`the ${this.backend.name} adapter does not read stream tips`));
    }
    return this.backend.streamTip(stream);
  }

  headPosition(): Promise<number> {
    return this.backend.headPosition();
  }

  /** Called after each append this process commits (other processes' appends are not heard). */
  onAppended(listener: () => void): () => void {
    return this.backend.onAppended(listener);
  }

  /**
   * Catch-up then live, at least once, in position order. The subscriber keeps its own
   * checkpoint (next to its effects) and passes it as `after` when it starts again.
   */
  subscribe<T = unknown>(name: string, options: SubscribeOptions<T>): Subscription {
    const subscription = new CatchUpSubscription<T>(name, this, options, () =>
      this.subscriptions.delete(subscription as CatchUpSubscription<never>),
    );
    this.subscriptions.add(subscription as CatchUpSubscription<never>);
    subscription.start();
    return subscription;
  }

  /** Recomputes every stream's hash chain from the raw stored events; names the first break. */
  async verify(onProgress?: (done: number, head: number) => void): Promise<VerifyResult> {
    const verifier = new ChainVerifier();
    const head = await this.backend.headPosition();
    let after = 0;
    for (;;) {
      const page = await this.backend.readAll({ after, limit: 2000 });
      for (const event of page.events) verifier.add(event);
      onProgress?.(page.next, head);
      if (page.isEnd || page.next === after) break;
      after = page.next;
    }
    return verifier.result();
  }

  ping(): Promise<void> {
    return this.backend.ping();
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.backend.close();
  }
}

/**
 * `backend.readAll`, with the filter's actor and recording time applied in memory when the
 * backend cannot apply them itself (a page may then hold fewer events than `limit`, while
 * `next` still moves past everything it looked at).
 */
export async function readAllFiltered(
  backend: EventStoreBackend,
  options: ReadAllOptions,
): Promise<ReadAllPage & { events: RawStoredEvent[] }> {
  if (backend.filtersMetadata || !hasMetadataFilter(options.filter)) return backend.readAll(options);
  const filter = options.filter!;
  const page = await backend.readAll({ ...options, filter: withoutMetadataFilter(filter) });
  return { ...page, events: page.events.filter(metadataFilterPredicate(filter)) };
}

/**
 * The events with the active trace (W3C `traceparent`, and `tracestate` when there is one) in
 * their metadata, so that whoever processes them later (a saga, the notification rules, in
 * another process) continues the trace of the request or job that wrote them. Events are
 * returned as given when tracing is off (no propagator registered: nothing is injected) or
 * when the caller set a traceparent itself.
 */
function withTraceContext(events: NewEvent[]): NewEvent[] {
  const active = context.active();
  if (trace.getSpan(active) === undefined) return events; // tracing off, or no trace in progress
  const carrier: { traceparent?: string; tracestate?: string } = {};
  propagation.inject(active, carrier);
  if (!carrier.traceparent || !Array.isArray(events)) return events;
  // Malformed events are left as they are, for prepareEvents to refuse.
  return events.map((event) =>
    typeof event?.metadata !== 'object' || event.metadata === null || event.metadata.traceparent
      ? event
      : { ...event, metadata: { ...event.metadata, ...carrier } },
  );
}
