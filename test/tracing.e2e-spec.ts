import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import {
  inSpan,
  SpanKind,
  startTracing,
  traceHeaders,
  type Tracing,
  withTraceParent,
} from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

/**
 * OpenTelemetry spans from HTTP through command handling and the append, and from a saga's
 * subscription through its command to the append, with parents linking them (exported to an
 * in-memory exporter here; to OTEL_EXPORTER_OTLP_ENDPOINT in production).
 */
describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let h: Harness;

  beforeAll(async () => {
    tracing = startTracing({ service: 'test', exporter, instrument: false })!;
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
  }, 60_000);
  afterAll(async () => {
    await h.close();
    await tracing.shutdown();
  });

  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const named = (prefix: string) => exporter.getFinishedSpans().filter((s) => s.name.startsWith(prefix));

  it('nests the command and the append under the request', async () => {
    const code = creditCode('91320214TR0000001');
    const res = await h.request('POST', '/v1/enterprises', {
      as: { sub: `ent-${code}`, role: 'enterprise', org: code },
      body: {
        creditCode: code,
        name: '无锡追踪测试有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2020-01-01',
      },
    });
    expect(res.status).toBe(201);
    const request = named('POST /v1/enterprises')[0];
    expect(request.attributes).toMatchObject({
      'http.route': '/v1/enterprises',
      'http.response.status_code': 201,
    });
    const command = named('command RegisterEnterpriseCommand')[0];
    expect(parentOf(command)).toBe(request.spanContext().spanId);
    const append = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'append' && s.attributes['engine.stream'] === `enterprise-${code}`)!;
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    expect(append.spanContext().traceId).toBe(request.spanContext().traceId);
  });

  it("traces a saga's reaction: the subscription, its command's appends", async () => {
    const code = creditCode('91320214TR0000002');
    const as = { sub: `ent-${code}`, role: 'enterprise' as const, org: code };
    await h.request('POST', '/v1/enterprises', {
      as,
      body: {
        creditCode: code,
        name: '无锡追踪测试二有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2020-01-01',
      },
    });
    const round = await h.request('POST', '/v1/rounds', {
      as: { sub: 'o', role: 'officer', jurisdiction: 'js.wuxi' },
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '追踪',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    const app = await h.request('POST', '/v1/applications', {
      as,
      body: { roundId: round.body.id, creditCode: code, data: eagletData() },
    });
    await h.request('POST', `/v1/applications/${app.body.id}/submit`, { as });
    await h.request('POST', `/v1/applications/${app.body.id}/reviews`, {
      as: { sub: 'd', role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
      body: { stage: 'district', decision: 'return', reason: '补充材料', respondBy: '2026-03-20' },
    });
    await h.settle();
    const reaction = named('process saga:deadlines ApplicationReturned')[0];
    expect(reaction.attributes).toMatchObject({
      'engine.processor': 'saga:deadlines',
      'engine.event.type': 'ApplicationReturned',
    });
    const scheduled = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'append' && String(s.attributes['engine.stream']).startsWith('timer-'))!;
    expect(parentOf(scheduled)).toBe(reaction.spanContext().spanId);
    expect(named('project applications').length).toBeGreaterThan(0);
  });

  it("continues a caller's trace: an incoming W3C traceparent is the request span's parent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    const res = await h.request('GET', '/v1/programmes', {
      as: { sub: 'officer-trace', role: 'officer', jurisdiction: 'js.wuxi' },
      headers: { traceparent: `00-${traceId}-${parentId}-01` },
    });
    expect(res.status).toBe(200);
    const request = named('GET /v1/programmes').at(-1)!;
    expect(request.spanContext().traceId).toBe(traceId);
    expect(parentOf(request)).toBe(parentId);
  });

  it('carries the trace into a queued job and out to a webhook call (W3C headers), where the delivery continues it', async () => {
    let carried: Record<string, string> = {};
    await inSpan('enqueue', {}, async () => {
      carried = traceHeaders();
    });
    const enqueue = named('enqueue').at(-1)!;
    expect(carried.traceparent).toBe(
      `00-${enqueue.spanContext().traceId}-${enqueue.spanContext().spanId}-01`,
    );
    // As the notification worker does with job.data.trace:
    await withTraceParent(carried, () =>
      inSpan('job notify-webhook', {}, async () => undefined, SpanKind.CONSUMER),
    );
    const job = named('job notify-webhook').at(-1)!;
    expect(job.spanContext().traceId).toBe(enqueue.spanContext().traceId);
    expect(parentOf(job)).toBe(enqueue.spanContext().spanId);
  });
});
