import type { Principal } from '@engine/platform';
import type { ListEntry } from '../../domain/round/round.events';

/**
 * A round's proposed (拟入库) or final list, now or as it stood at `asOf`; without a stage, the
 * final list once there is one. Reach (reach.ts, assertMayReadRoundList) is judged on the
 * round as it is now: anyone while it is publicised, else auditors and officers over it; no
 * principal is an anonymous reader.
 */
export class GetRoundListQuery {
  constructor(
    readonly roundId: string,
    readonly principal: Principal | undefined,
    readonly stage?: 'proposed' | 'final',
    readonly asOf?: string,
  ) {}
}

/** The entries of the list; none when the round did not exist yet at `asOf`. */
export type RoundListEntries = ListEntry[];
