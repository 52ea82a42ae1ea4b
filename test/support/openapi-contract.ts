import Ajv, { type ValidateFunction } from 'ajv';
import type { Harness } from './api-harness';

/**
 * Checks answers against the response schemas of the OpenAPI document the app serves
 * (`/docs-json`), so the document the console's client is generated from cannot drift from
 * what the api sends. `expectMatches(h, 'GET', '/v1/rounds', 200, body)` fails with ajv's
 * errors when the body does not fit, or when the operation has no schema for that status.
 */
const validators = new WeakMap<Harness, Map<string, ValidateFunction>>();
const documents = new WeakMap<Harness, Promise<Record<string, any>>>(); // eslint-disable-line @typescript-eslint/no-explicit-any

export async function openApiDocument(h: Harness) {
  if (!documents.has(h))
    documents.set(
      h,
      h.request('GET', '/docs-json').then((res) => res.body),
    );
  return documents.get(h)!;
}

export async function responseValidator(
  h: Harness,
  method: string,
  path: string,
  status: number,
): Promise<ValidateFunction> {
  const key = `${method} ${path} ${status}`;
  const cache = validators.get(h) ?? new Map<string, ValidateFunction>();
  validators.set(h, cache);
  if (cache.has(key)) return cache.get(key)!;
  const document = await openApiDocument(h);
  const operation = document.paths?.[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the OpenAPI document has no ${method} ${path}`);
  const schema = operation.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} has no response schema for ${status}`);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ components: document.components ?? {} }, 'openapi');
  const rewrite = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(rewrite)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : rewrite(v),
            ]),
          )
        : value;
  const validate = ajv.compile(rewrite(schema) as object);
  cache.set(key, validate);
  return validate;
}

/** Asserts that `body` fits the documented response of `method path` with `status`. */
export async function expectMatches(
  h: Harness,
  method: string,
  path: string,
  status: number,
  body: unknown,
): Promise<void> {
  const validate = await responseValidator(h, method, path, status);
  const ok = validate(body);
  expect({ path: `${method} ${path} ${status}`, errors: ok ? null : validate.errors }).toEqual({
    path: `${method} ${path} ${status}`,
    errors: null,
  });
}
