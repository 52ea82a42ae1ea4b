import type { Principal } from '@engine/platform';

/** Which part of a round's expert review the caller follows (the progress page reads it). */
export class GetRoundPanelsQuery {
  constructor(
    readonly roundId: string,
    readonly principal: Principal,
  ) {}
}

/** All of the round, or only its applications `within` the caller's jurisdiction. */
export interface RoundPanelsScope {
  within?: string;
}
