import type { Principal } from '@engine/platform';

/**
 * The application now or as of an instant. With a principal, reach is judged on it as it is
 * now (reach.ts): out of reach, or not yet in existence at the instant, is "not found"; `sight`
 * says whether the caller sees it in full or blind (an expert on its panel).
 */
export class GetApplicationQuery {
  constructor(
    readonly applicationId: string,
    readonly asOf?: string,
    readonly principal?: Principal,
  ) {}
}

/** Every event of the application (ask GetApplicationQuery with the caller first, for reach). */
export class GetApplicationHistoryQuery {
  constructor(readonly applicationId: string) {}
}
