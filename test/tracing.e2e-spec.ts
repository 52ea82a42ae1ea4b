import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { startTracing, type Tracing } from '@engine/platform';
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
    tracing = startTracing({ service: 'test', exporter })!;
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
  });
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
});
