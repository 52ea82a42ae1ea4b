import type { Principal } from '@engine/platform';

/**
 * The applications of a round whose panels a batch draw is to draw (those in expert review),
 * asked by the drawing officer: only officers of the issuing jurisdiction draw (reach.ts).
 */
export class GetPanelsToDrawQuery {
  constructor(
    readonly roundId: string,
    readonly principal: Principal,
  ) {}
}
