import type { Principal } from '@engine/platform';

/** An enterprise; with a principal, out of the caller's reach is "no such enterprise" (reach.ts). */
export class GetEnterpriseQuery {
  constructor(
    readonly creditCode: string,
    readonly asOf?: string,
    readonly principal?: Principal,
  ) {}
}
