import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { worklistCovers, worklistReach } from '@engine/incubation';
import type { Principal } from '@engine/platform';
import {
  ReadModelDatabase,
  ReadModelQueries,
  type WorklistPage,
  type WorklistQuery,
} from '@engine/read-models';

/** The officer's worklist (reach.ts, worklistReach): the applications under their jurisdiction. */
export class GetWorklistQuery {
  constructor(
    readonly filters: Omit<WorklistQuery, 'jurisdiction'>,
    readonly principal: Principal,
  ) {}
}

@QueryHandler(GetWorklistQuery)
export class GetWorklistHandler implements IQueryHandler<GetWorklistQuery, WorklistPage> {
  constructor(@Inject(ReadModelQueries) private readonly readModels: ReadModelQueries) {}

  execute({ filters, principal }: GetWorklistQuery): Promise<WorklistPage> {
    return this.readModels.worklist({ ...filters, jurisdiction: worklistReach(principal) });
  }
}

/**
 * Whether a change of this application belongs on the officer's live worklist (reach.ts,
 * worklistCovers): its district is at or below their jurisdiction. False for one the read
 * models do not know yet.
 */
export class IsOnWorklistQuery {
  constructor(
    readonly applicationId: string,
    readonly principal: Principal,
  ) {}
}

@QueryHandler(IsOnWorklistQuery)
export class IsOnWorklistHandler implements IQueryHandler<IsOnWorklistQuery, boolean> {
  constructor(@Inject(ReadModelDatabase) private readonly db: ReadModelDatabase) {}

  async execute({ applicationId, principal }: IsOnWorklistQuery): Promise<boolean> {
    const row = await this.db.reader
      .selectFrom('applications')
      .select(['jurisdiction'])
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    return !!row && worklistCovers(principal, row.jurisdiction);
  }
}
