import type { Principal } from '@engine/platform';

/**
 * A round, now or as of a moment. With a principal, the caller's reach is checked (reach.ts):
 * out of reach is "no such round", and an officer below the issuer gets `within`, their part.
 */
export class GetRoundQuery {
  constructor(
    readonly roundId: string,
    readonly asOf?: string,
    readonly principal?: Principal,
  ) {}
}
