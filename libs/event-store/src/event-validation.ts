import { randomUUID } from 'node:crypto';
import { InvalidEventError } from './event-store.errors';
import type { NewEvent, PreparedEvent } from './event-store.port';
import { canonicalJson } from './hash-chain';

export interface EventLimits {
  /** Largest accepted event: canonical JSON of data plus metadata, in bytes. Default 1 MiB. */
  maxEventBytes: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = { maxEventBytes: 1024 * 1024 };

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9.:_-]{0,127}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Refuses what the store must never hold: values JSON cannot represent exactly (undefined,
 * functions, symbols, BigInt, NaN, Infinity, cycles, class instances such as Date), empty or
 * odd type names, oversized events. The path of the first offending value is in the error.
 */
export function prepareEvents(stream: string, events: NewEvent[], limits: EventLimits): PreparedEvent[] {
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > 256) {
    throw new InvalidEventError(
      'stream name must be a non-empty string of at most 256 characters',
      -1,
      'stream',
    );
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventError('an append needs at least one event', -1, 'events');
  }
  const seen = new Set<string>();
  return events.map((event, index) => {
    if (typeof event.type !== 'string' || !TYPE_PATTERN.test(event.type)) {
      throw new InvalidEventError(
        `event ${index}: type must be a non-empty name of letters, digits and . : _ - (got ${JSON.stringify(event.type)})`,
        index,
        'type',
      );
    }
    const schemaVersion = event.schemaVersion ?? 1;
    if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
      throw new InvalidEventError(
        `event ${index}: schemaVersion must be a positive integer`,
        index,
        'schemaVersion',
      );
    }
    const id = event.id ?? randomUUID();
    if (typeof id !== 'string' || !UUID_PATTERN.test(id)) {
      throw new InvalidEventError(`event ${index}: id must be a UUID`, index, 'id');
    }
    if (seen.has(id.toLowerCase()))
      throw new InvalidEventError(`event ${index}: duplicate id ${id} in one append`, index, 'id');
    seen.add(id.toLowerCase());
    assertJson(event.data, `data`, index);
    assertMetadata(event.metadata, index);
    const dataJson = canonicalJson(event.data);
    const size = Buffer.byteLength(dataJson) + Buffer.byteLength(canonicalJson(event.metadata));
    if (size > limits.maxEventBytes) {
      throw new InvalidEventError(
        `event ${index}: ${size} bytes exceeds the limit of ${limits.maxEventBytes} bytes`,
        index,
        'data',
      );
    }
    return {
      id: id.toLowerCase(),
      type: event.type,
      schemaVersion,
      data: event.data,
      metadata: event.metadata,
      dataJson,
    };
  });
}

function assertMetadata(metadata: NewEvent['metadata'], index: number): void {
  if (metadata === null || typeof metadata !== 'object') {
    throw new InvalidEventError(`event ${index}: metadata is required`, index, 'metadata');
  }
  for (const key of ['correlationId', 'causationId', 'occurredAt'] as const) {
    if (typeof metadata[key] !== 'string' || metadata[key].length === 0) {
      throw new InvalidEventError(
        `event ${index}: metadata.${key} must be a non-empty string`,
        index,
        `metadata.${key}`,
      );
    }
  }
  if (Number.isNaN(Date.parse(metadata.occurredAt))) {
    throw new InvalidEventError(
      `event ${index}: metadata.occurredAt must be an ISO 8601 instant`,
      index,
      'metadata.occurredAt',
    );
  }
  const actor = metadata.actor;
  if (
    !actor ||
    typeof actor.sub !== 'string' ||
    typeof actor.role !== 'string' ||
    !actor.sub ||
    !actor.role
  ) {
    throw new InvalidEventError(`event ${index}: metadata.actor needs sub and role`, index, 'metadata.actor');
  }
  assertJson(metadata, 'metadata', index);
}

function assertJson(value: unknown, path: string, index: number, stack: unknown[] = []): void {
  const fail = (what: string): never => {
    throw new InvalidEventError(
      `event ${index}: ${path} ${what}; only JSON values can be stored`,
      index,
      path,
    );
  };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(`is ${value}`);
      return;
    case 'object': {
      if (value === null) return;
      if (stack.includes(value)) fail('is circular');
      const proto = Object.getPrototypeOf(value);
      if (Array.isArray(value)) {
        stack.push(value);
        value.forEach((item, i) => assertJson(item, `${path}[${i}]`, index, stack));
        stack.pop();
        return;
      }
      if (proto !== Object.prototype && proto !== null)
        fail(`is a ${proto?.constructor?.name ?? 'class'} instance`);
      stack.push(value);
      for (const [key, item] of Object.entries(value)) assertJson(item, `${path}.${key}`, index, stack);
      stack.pop();
      return;
    }
    default:
      fail(`is ${typeof value}`);
  }
}
