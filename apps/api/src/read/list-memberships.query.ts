import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listingScope } from '@engine/incubation';
import type { Principal } from '@engine/platform';
import { type MembershipListQuery, type MembershipRow, ReadModelQueries } from '@engine/read-models';

/**
 * Memberships within the caller's reach (reach.ts, listingScope): an officer's at or below their
 * jurisdiction, narrowed by the one asked; none when asked beyond it.
 */
export class ListMembershipsQuery {
  constructor(
    readonly filters: MembershipListQuery,
    readonly principal: Principal,
  ) {}
}

@QueryHandler(ListMembershipsQuery)
export class ListMembershipsHandler implements IQueryHandler<ListMembershipsQuery, MembershipRow[]> {
  constructor(@Inject(ReadModelQueries) private readonly readModels: ReadModelQueries) {}

  async execute({ filters, principal }: ListMembershipsQuery): Promise<MembershipRow[]> {
    const scope = listingScope(principal, filters.jurisdiction);
    return scope ? this.readModels.memberships({ ...filters, ...scope }) : [];
  }
}
