import fc from 'fast-check';
import { EventStore } from '@engine/event-store';
import { type Harness, startApi } from './support/api-harness';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { creditCode } from './support/fixtures';

/**
 * Random and hostile bodies against every write endpoint: wrong types, nulls, huge strings,
 * deep nesting, prototype keys, unknown fields. Every answer must be a 4xx in the contract's
 * error shape, and not one event may be appended.
 */
const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const code = creditCode('91320214MA1AB0001');
const enterprise = { sub: 'ent-abuse', role: 'enterprise' as const, org: code };

const hostileValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 30 }),
  fc.constant(''),
  fc.constant('9'.repeat(400)),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.constant({ $gt: '' }),
  fc.constant('<script>alert(1)</script>'),
  fc.constant("'; DROP TABLE events; --"),
);

/** A JSON text: an object with known and unknown keys holding hostile values, or worse. */
const hostileBody = (knownKeys: string[]) =>
  fc.oneof(
    fc
      .dictionary(fc.constantFrom(...knownKeys, 'extra', 'constructor', 'isAdmin'), hostileValue, {
        minKeys: 1,
        maxKeys: 6,
      })
      .map((o) => JSON.stringify(o)),
    fc.constantFrom(
      'null',
      '[]',
      '"text"',
      '42',
      'true',
      '{',
      '{"a":}',
      '{"__proto__": {"polluted": true}}',
      '{"constructor": {"prototype": {"polluted": true}}}',
      `{"${knownKeys[0]}": "${'x'.repeat(1024 * 1024)}"}`,
      '['.repeat(5000) + ']'.repeat(5000),
      JSON.stringify(Array.from({ length: 200 }, () => ({}))),
    ),
  );

describe('hostile input to every write endpoint', () => {
  let h: Harness;
  let store: EventStore;
  let roundId: string;
  let draftId: string;
  let submittedId: string;

  beforeAll(async () => {
    h = await startApi();
    store = h.app.get(EventStore);
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 9,
        title: '滥用测试批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    roundId = round.body.id;
    await h.request('POST', '/v1/enterprises', {
      as: enterprise,
      body: {
        creditCode: code,
        name: '无锡滥用测试有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    const draft = await h.request('POST', '/v1/applications', {
      as: enterprise,
      body: { roundId, creditCode: code, data: eagletData() },
    });
    draftId = draft.body.id;
    // One application per enterprise and round: the second goes into a round of its own.
    const secondRound = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 10,
        title: '滥用测试第二批次',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    const other = await h.request('POST', '/v1/applications', {
      as: enterprise,
      body: { roundId: secondRound.body.id, creditCode: code, data: eagletData() },
    });
    submittedId = other.body.id;
    expect(
      (await h.request('POST', `/v1/applications/${submittedId}/submit`, { as: enterprise })).status,
    ).toBe(200);
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  const endpoints = (): {
    method: 'POST' | 'PATCH';
    url: string;
    as: typeof city | typeof enterprise;
    keys: string[];
    bodiless?: boolean;
  }[] => [
    {
      method: 'POST' as const,
      url: '/v1/enterprises',
      as: city,
      keys: ['creditCode', 'name', 'jurisdiction', 'establishedOn'],
    },
    {
      method: 'POST' as const,
      url: '/v1/rounds',
      as: city,
      keys: ['programme', 'year', 'batch', 'title', 'jurisdiction', 'opensAt', 'closesAt', 'quota'],
    },
    {
      method: 'POST' as const,
      url: `/v1/rounds/${roundId}/close`,
      as: city,
      keys: ['reason', 'force'],
      bodiless: true,
    },
    {
      method: 'POST' as const,
      url: '/v1/applications',
      as: enterprise,
      keys: ['roundId', 'creditCode', 'data'],
    },
    { method: 'PATCH' as const, url: `/v1/applications/${draftId}`, as: enterprise, keys: ['data'] },
    {
      method: 'POST' as const,
      url: `/v1/applications/${draftId}/submit`,
      as: enterprise,
      keys: ['force', 'data'],
      bodiless: true,
    },
    {
      method: 'POST' as const,
      url: `/v1/applications/${submittedId}/reviews`,
      as: city,
      keys: ['stage', 'decision', 'reason', 'respondBy'],
    },
  ];

  it('answers every hostile body with a 4xx in the contract shape and appends nothing', async () => {
    const head = await store.headPosition();
    const seen = new Set<number>();
    for (const endpoint of endpoints()) {
      await fc.assert(
        // A bodiless command takes `null` as "no body" on purpose; everything else is hostile.
        fc.asyncProperty(
          hostileBody(endpoint.keys).filter((raw) => !(endpoint.bodiless && raw === 'null')),
          async (raw) => {
            const res = await h.request(endpoint.method, endpoint.url, {
              as: endpoint.as,
              raw,
              withoutMaterials: true,
            });
            seen.add(res.status);
            if (res.status < 400 || res.status >= 500) {
              throw new Error(
                `${endpoint.method} ${endpoint.url} answered ${res.status} to ${raw.slice(0, 200)}`,
              );
            }
            expect(res.body).toMatchObject({
              statusCode: res.status,
              error: expect.any(String),
              code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
              message: expect.any(String),
            });
          },
        ),
        { numRuns: 60 },
      );
    }
    expect(await store.headPosition()).toBe(head);
    expect([...seen].every((s) => s === 400 || s === 413 || s === 422)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it('names the offending field of nested application data', async () => {
    const data = eagletData() as Record<string, unknown>;
    (data.financials as Record<string, unknown>[])[1].revenue = -5;
    (data.ipRights as Record<string, unknown>).classI = 'many';
    const res = await h.request('PATCH', `/v1/applications/${draftId}`, { as: enterprise, body: { data } });
    expect(res.status).toBe(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['data.financials[1].revenue', 'data.ipRights.classI']));
  });

  it('refuses ids that are not UUIDs and unknown query parameters', async () => {
    expect((await h.request('GET', '/v1/applications/not-a-uuid', { as: city })).status).toBe(400);
    expect((await h.request('GET', `/v1/applications/${draftId}?asOf=yesterday`, { as: city })).status).toBe(
      400,
    );
    expect((await h.request('GET', `/v1/applications/${draftId}?foo=1`, { as: city })).status).toBe(400);
  });
});
