import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Aggregates } from '../../infrastructure/handle-command';

/**
 * The names of the experts in the pool, by id: for the officers' and auditors' views of a
 * panel only. Blind review stays as it is: enterprises are never answered with experts, and
 * experts never with applicants (the callers of this query are the officers' endpoints).
 */
export class GetExpertNamesQuery {
  constructor(readonly expertIds: readonly string[]) {}
}

@QueryHandler(GetExpertNamesQuery)
export class GetExpertNamesHandler implements IQueryHandler<GetExpertNamesQuery, Map<string, string>> {
  constructor(@Inject(Aggregates) private readonly aggregates: Aggregates) {}

  async execute({ expertIds }: GetExpertNamesQuery): Promise<Map<string, string>> {
    const { state } = await this.aggregates.expertPool();
    const names = new Map<string, string>();
    for (const id of expertIds) {
      const name = state.experts[id]?.name;
      if (name) names.set(id, name);
    }
    return names;
  }
}
