import { context, propagation, trace } from '@opentelemetry/api';
import Module from 'node:module';
import { startTracing, traceHeaders, withTraceParent } from './tracing';

/** Tracing is off unless an endpoint (or a test's exporter) is given, and then costs nothing. */
describe('tracing off', () => {
  it('registers nothing: no provider, no propagator, no require hook', () => {
    const require = Module.prototype.require;
    expect(startTracing({ service: 'test', endpoint: undefined })).toBeUndefined();
    expect(Module.prototype.require).toBe(require);
    expect(trace.getTracerProvider().getTracer('x').startSpan('s').isRecording()).toBe(false);
    expect(traceHeaders()).toEqual({});
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    expect(carrier).toEqual({});
  });

  it('runs work as it is when there is no traceparent to continue', () => {
    expect(withTraceParent(undefined, () => 1)).toBe(1);
    expect(withTraceParent({ correlationId: 'c' } as { traceparent?: string }, () => 2)).toBe(2);
  });
});
