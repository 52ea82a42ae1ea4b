/**
 * Domain errors are values the edge maps to HTTP: the domain never knows about status codes.
 *
 * | kind          | meaning                                               | HTTP |
 * | not-found     | no such thing (or not within the caller's reach)      | 404  |
 * | forbidden     | the caller may never do this                          | 403  |
 * | conflict      | not possible in the current state                     | 409  |
 * | rule          | a business rule refuses it (carries its explanation)  | 422  |
 * | invalid       | the input is malformed                                | 400  |
 * | too-large     | over a size limit (a file, an application's files)    | 413  |
 * | unsupported   | content of a type that is not accepted                | 415  |
 */
export type DomainErrorKind =
  'not-found' | 'forbidden' | 'conflict' | 'rule' | 'invalid' | 'too-large' | 'unsupported';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable UPPER_SNAKE code for clients. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError('conflict', code, message, details);
export const ruleViolated = (code: string, message: string, details?: unknown) =>
  new DomainError('rule', code, message, details);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
export const forbidden = (code: string, message: string, details?: unknown) =>
  new DomainError('forbidden', code, message, details);
export const invalid = (code: string, message: string, details?: unknown) =>
  new DomainError('invalid', code, message, details);
export const tooLarge = (code: string, message: string, details?: unknown) =>
  new DomainError('too-large', code, message, details);
export const unsupported = (code: string, message: string, details?: unknown) =>
  new DomainError('unsupported', code, message, details);
