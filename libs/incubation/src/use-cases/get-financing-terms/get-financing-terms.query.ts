import type { Principal } from '@engine/platform';

/** An approved tech-retrofit project's financing terms and the interest subsidy the city owes. */
export class GetFinancingTermsQuery {
  constructor(
    readonly applicationId: string,
    readonly principal: Principal,
  ) {}
}
