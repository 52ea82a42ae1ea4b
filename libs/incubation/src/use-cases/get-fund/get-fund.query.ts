import type { Principal } from '@engine/platform';

/** A fund with its allocations, payments and what is left (folded from its stream on read). */
export class GetFundQuery {
  constructor(
    readonly fundId: string,
    readonly principal: Principal,
  ) {}
}
