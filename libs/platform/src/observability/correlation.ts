import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header a caller may send (and always gets back) to follow one request through the logs. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** What a caller-supplied correlation id may look like; anything else is replaced by a new one. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** What is known about the unit of work (a request, later a job or a saga step) being run. */
export interface CorrelationContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/** The caller's id when it is acceptable, a new UUID otherwise. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && CORRELATION_ID_PATTERN.test(value) ? value : randomUUID();
}

/** Runs `fn` with `correlationId` as the current correlation id (every log line inside carries it). */
export function runWithCorrelation<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

/** The correlation id of the work in progress, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** The storage itself, for the HTTP hooks that open a context per request. */
export const correlationStorage: AsyncLocalStorage<CorrelationContext> = storage;
