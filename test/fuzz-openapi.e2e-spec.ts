import fc from 'fast-check';
import { EventStore } from '@engine/event-store';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from './support/api-harness';
import { Kit, SETUP_OFFICER } from './permissions/scenarios';

/**
 * Property-based fuzz of every write endpoint, generated from the served OpenAPI document:
 * bodies that follow each operation's request schema with values pushed to and past its
 * bounds (lengths, ranges, enums, hostile text). Whatever is sent, the answer is never a 5xx,
 * a refusal is in the contract's error shape, and a refused request appends no event.
 * Bounded (NUM_RUNS per operation) so it runs in `npm test`.
 */
const NUM_RUNS = 20;

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

const hostileText = fc.constantFrom(
  '',
  ' ',
  '营业收入数据不实',
  'a\u0000b',
  '\ud800',
  '\u202e',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  'x'.repeat(6000),
);

/** An arbitrary for a JSON schema: mostly valid-ish values, sometimes the wrong type. */
function arbitrary(schema: Schema, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return arbitrary(components[schema.$ref.split('/').pop()!], components, depth);
  const variants = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((s) => arbitrary(s, components, depth)));
  const wrongType = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 5 }), fc.constant({}));
  let right: fc.Arbitrary<unknown>;
  if (schema.enum) {
    right = fc.oneof(fc.constantFrom(...schema.enum), fc.string({ maxLength: 10 }));
  } else if (schema.type === 'string') {
    right = fc.oneof(
      fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
      hostileText,
    );
  } else if (schema.type === 'integer' || schema.type === 'number') {
    const min = schema.minimum ?? -1e6;
    const max = schema.maximum ?? 1e6;
    right = fc.oneof(
      fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) }),
      fc.constantFrom(min - 1, max + 1, 0.5, Number.MAX_SAFE_INTEGER),
    );
  } else if (schema.type === 'boolean') {
    right = fc.boolean();
  } else if (schema.type === 'array') {
    right =
      depth > 3
        ? fc.constant([])
        : fc.array(arbitrary(schema.items ?? {}, components, depth + 1), { maxLength: 4 });
  } else if (schema.properties) {
    const keys = Object.keys(schema.properties);
    right =
      depth > 3
        ? fc.constant({})
        : fc.record(
            Object.fromEntries(
              keys.map((key) => [key, arbitrary(schema.properties![key], components, depth + 1)]),
            ),
            { requiredKeys: keys.filter((k) => schema.required?.includes(k)) },
          );
  } else {
    right = fc.oneof(fc.constant({}), fc.string({ maxLength: 5 }));
  }
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrongType });
}

describe('fuzz of every write endpoint, from the OpenAPI schemas', () => {
  let h: Harness;
  let kit: Kit;
  let store: EventStore;
  const ids: Record<string, string> = {};
  let owner: Principal;

  beforeAll(async () => {
    h = await startApi({ env: { RATE_LIMIT_STRICT_MAX: '100000', RATE_LIMIT_STRICT_REFUSED_MAX: '100000' } });
    kit = new Kit(h);
    store = h.app.get(EventStore);
    const f = await kit.fixture();
    owner = f.owner;
    ids.id = f.submittedId!;
    ids.creditCode = f.code;
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('never answers 5xx, refuses in the contract shape, and appends nothing when it refuses', async () => {
    const docs = (await h.request('GET', '/docs-json')).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema: Schema }> } }>
      >;
      components: { schemas: Record<string, Schema> };
    };
    const callers: Principal[] = [
      SETUP_OFFICER,
      owner,
      { sub: 'fuzz-admin', role: 'admin' },
      { sub: 'fuzz-expert', role: 'expert' },
    ];
    let operations = 0;
    const seen = new Map<number, number>();
    // After an accepted request, sagas may append on their own: wait for them before measuring.
    let settleFirst = false;
    for (const [path, item] of Object.entries(docs.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!['post', 'patch', 'put'].includes(method)) continue;
        if (path.startsWith('/v1/admin/clock')) continue; // moves the engine's clock: not input
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? ids.id);
        operations++;
        await fc.assert(
          fc.asyncProperty(
            schema ? arbitrary(schema, docs.components.schemas) : fc.constant(undefined),
            fc.constantFrom(...callers),
            async (body, as) => {
              if (settleFirst) await h.settle();
              settleFirst = false;
              const head = await store.headPosition();
              const res = await h.request(method.toUpperCase() as 'POST', url, {
                as,
                ...(body === undefined ? {} : { body }),
              });
              if (res.status >= 500) {
                throw new Error(
                  `${method} ${url} answered ${res.status} to ${JSON.stringify(body)?.slice(0, 300)}`,
                );
              }
              seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
              if (res.status < 400) settleFirst = true;
              if (res.status >= 400) {
                expect(res.body).toMatchObject({
                  statusCode: res.status,
                  error: expect.any(String),
                  code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
                  message: expect.any(String),
                });
                const after = await store.headPosition();
                if (after !== head) {
                  throw new Error(
                    `${method} ${url} refused (${res.status}) yet appended ${after - head} events`,
                  );
                }
              }
            },
          ),
          { numRuns: NUM_RUNS },
        );
      }
    }
    expect(operations).toBeGreaterThan(15);
    // Every case ran, and validation (not only the guard) answered many of them.
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(operations * NUM_RUNS);
    expect(seen.get(400) ?? 0).toBeGreaterThan(total / 10);
  }, 300_000);
});
