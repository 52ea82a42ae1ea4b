import { context, type Attributes, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
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

/**
 * OpenTelemetry tracing, on when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT,
 * spans sent to `<endpoint>/v1/traces` over HTTP in batches) or when a test hands an exporter;
 * off otherwise, and then every span below is a no-op costing next to nothing. Registers the
 * AsyncLocalStorage context manager, so a span started for a request is the parent of what
 * runs on its behalf (the command, the append).
 */
export function startTracing(options: {
  service: string;
  endpoint?: string;
  /** Tests: spans go here, one by one, instead of to an OTLP endpoint. */
  exporter?: SpanExporter;
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
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
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

/** Runs `work` with the trace named by W3C headers (an incoming request's, a job's) as parent. */
export function withTraceParent<T>(headers: Record<string, unknown> | undefined, work: () => T): T {
  if (!headers) return work();
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
