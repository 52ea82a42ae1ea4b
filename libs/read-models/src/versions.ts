import type { Kysely } from 'kysely';
import { activeGeneration } from './generations';
import type { ReadModelSchema } from './schema';

/**
 * A read that needs what only the current version of a projection has (a column, an index
 * order) while the served generation is older: the leader is still rebuilding it after an
 * upgrade (docs/read-models.md, Rebuild). Answered 503 READ_MODEL_REBUILDING, never a failed
 * query against tables that lack the column.
 */
export class ReadModelRebuildingError extends Error {
  readonly code = 'READ_MODEL_REBUILDING';
  constructor(
    readonly projection: string,
    readonly served: number | undefined,
    readonly needed: number,
  ) {
    super(
      `the ${projection} read model is being rebuilt for this version of the engine ` +
        `(serving version ${served ?? 'none'}, this read needs ${needed}); try again when the rebuild has finished`,
    );
  }
}

/**
 * Checks that the active generation of a projection is at least `version`. Once it is, the answer
 * is kept: generations only move forward under the same code, so a process asks at most until
 * its rebuild has switched.
 */
export class ReadModelVersions {
  private readonly current = new Set<string>();

  constructor(private readonly db: Kysely<ReadModelSchema>) {}

  async require(projection: string, version: number): Promise<void> {
    const key = `${projection}@${version}`;
    if (this.current.has(key)) return;
    const active = await activeGeneration(this.db, projection);
    if (active && Number(active.version) >= version) {
      this.current.add(key);
      return;
    }
    throw new ReadModelRebuildingError(projection, active ? Number(active.version) : undefined, version);
  }
}
