import { context, type Attributes, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';

const TRACER = 'cultivation-engine';

/** The tracer spans are made with: a no-op until {@link startTracing} registers a provider. */
export function tracer() {
  return trace.getTracer(TRACER);
}

export interface Tracing {
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/** Requests that make no trace of their own: probes and scrapes, every few seconds. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * The maintained instrumentations: `node:http` (a server span per incoming request, continuing
 * the caller's W3C traceparent; a client span per outgoing call, with traceparent injected),
 * `pg` and `pg-pool` (a span per query) and `ioredis` (a span per command: BullMQ's included).
 * Query and command spans are only made inside a trace (`requireParentSpan`): the worker's
 * polling and BullMQ's blocking reads would otherwise start a trace each, several a second.
 */
function instrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      requireParentforOutgoingSpans: true,
    }),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}

/**
 * The instrumentations patch a module as it is required (require hooks). `http`, `pg` and
 * `ioredis` are already loaded when tracing starts (the platform's own index imports Fastify,
 * pg and ioredis), so they are required once more here: the hooks see that require and patch
 * the loaded module in place (the functions of `node:http` and `node:https`, the prototypes of
 * http's Server, pg's Client and Pool and ioredis's Redis), which every importer shares.
 */
function patchLoadedModules(): void {
  for (const name of ['http', 'https']) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(name);
  }
  for (const name of ['pg', 'pg-pool', 'ioredis']) {
    try {
      // Only what is loaded already: a module loaded later is patched by the hook as it loads.
      if (require.cache[require.resolve(name)]) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(name);
      }
    } catch {
      // Not installed: nothing to patch.
    }
  }
}

/**
 * OpenTelemetry tracing, on when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT,
 * spans sent to `<endpoint>/v1/traces` over HTTP in batches) or when a test hands an exporter;
 * off otherwise, and then nothing is registered (no instrumentation, no require hook, no
 * propagator) and every span below is a no-op costing next to nothing. When on, registers the
 * AsyncLocalStorage context manager, the W3C Trace Context propagator and the instrumentations
 * for HTTP, PostgreSQL and Redis, so a span started for a request is the parent of what runs
 * on its behalf (the command, the append, the queries, the queue commands).
 */
export function startTracing(options: {
  service: string;
  endpoint?: string;
  /** Tests: spans go here, one by one, instead of to an OTLP endpoint. */
  exporter?: SpanExporter;
  /** Tests in Jest, whose module loader bypasses require hooks: the hand-made spans only. */
  instrument?: boolean;
}): Tracing | undefined {
  if (!options.endpoint && !options.exporter) return undefined;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/$/, '')}/v1/traces` }),
      );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: [processor],
  });
  provider.register();
  let unregister: (() => void) | undefined;
  if (options.instrument !== false) {
    unregister = registerInstrumentations({ instrumentations: instrumentations(), tracerProvider: provider });
    patchLoadedModules();
  }
  return {
    async shutdown() {
      unregister?.();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * Runs `work` inside a span that is the active one meanwhile (its children nest under it),
 * records a failure on it, and ends it.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer().startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };

/**
 * The active trace as W3C Trace Context headers (`traceparent`, `tracestate`): put them on an
 * outgoing call or a queued job so the work continues the same trace. Empty while tracing is off.
 */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs `work` with the trace named by W3C headers (`traceparent`, `tracestate`: an incoming
 * request's, a job's, an event's metadata) as parent; as it is when they name none.
 */
export function withTraceParent<T>(
  headers: { traceparent?: unknown; tracestate?: unknown } | undefined,
  work: () => T,
): T {
  if (!headers?.traceparent) return work();
  return context.with(propagation.extract(context.active(), headers), work);
}

/** Puts a span around every command the bus executes: `command <Name>`, a child of the request or saga step. */
export function traceCommands(bus: {
  execute: (command: never, ...rest: never[]) => Promise<unknown>;
}): void {
  const execute = bus.execute.bind(bus) as (command: object, ...rest: unknown[]) => Promise<unknown>;
  const traced = (command: object, ...rest: unknown[]): Promise<unknown> => {
    const name = (command as { constructor?: { name?: string } })?.constructor?.name || 'unknown';
    return inSpan(`command ${name}`, { 'engine.command': name }, () => execute(command, ...rest));
  };
  (bus as unknown as { execute: typeof traced }).execute = traced;
}
