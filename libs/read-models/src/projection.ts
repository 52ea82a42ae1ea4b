import {
  IdentifierNode,
  type Kysely,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  sql,
  type TableNode,
  type Transaction,
  type UnknownRow,
} from 'kysely';
import type { ReadAllFilter, StoredEvent } from '@engine/event-store';
import type { ReadModelDialect } from './database';
import type { ProjectionTableName, ReadModelSchema } from './schema';

/** A table a projection owns. Queries reach it through a view named `name`. */
export interface ProjectionTable {
  name: ProjectionTableName;
  /** Creates the table under the physical name `table`. */
  create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect): Promise<void>;
  /**
   * Creates its secondary indexes (named after `table`, `if not exists`). A rebuild creates them
   * once its shadow is loaded, which is much cheaper than maintaining them row by row.
   */
  indexes?(db: Kysely<unknown>, table: string): Promise<void>;
}

/**
 * A projection folds events into rows. `apply` (or `applyBatch`, when it can do a page at
 * once) runs inside the runner's transaction, which also advances the checkpoint: rows and
 * checkpoint commit together or not at all. Table names are the logical ones; the runner
 * points them at the generation being written. Bump `version` whenever rows would come out
 * differently (new column, new rule): the runner then rebuilds into a new generation.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  /** Event types it consumes. */
  readonly handles: readonly string[];
  /**
   * Stream prefixes of the aggregates it folds (`application-`), when it handles every event
   * type of those streams. The store is then asked by stream rather than by type: on SQLite a
   * scan in position order instead of an index lookup and a sort per page.
   */
  readonly streams?: readonly string[];
  readonly tables: readonly ProjectionTable[];
  apply(trx: Transaction<ReadModelSchema>, event: StoredEvent): Promise<void>;
  applyBatch?(trx: Transaction<ReadModelSchema>, events: readonly StoredEvent[]): Promise<void>;
}

/** What to ask the store for. */
export function storeFilter(projection: Projection): ReadAllFilter {
  return projection.streams?.length ? { streamPrefixes: projection.streams } : { types: projection.handles };
}

/** The events of a page the projection handles (a stream filter may bring others). */
export function handledEvents(projection: Projection, events: readonly StoredEvent[]): StoredEvent[] {
  return events.filter((event) => projection.handles.includes(event.type));
}

/** The physical table of one generation: `applications__g3`. */
export function physicalTable(table: string, generation: number): string {
  return `${table}__g${generation}`;
}

/**
 * Text that is compared or sorted (ids, jurisdictions, instants): byte order on both
 * dialects, so cursors and `LIKE 'js.wuxi.%'` prefix scans behave the same and use indexes.
 */
export function keyText(dialect: ReadModelDialect) {
  return dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
}

class RenameTablesTransformer extends OperationNodeTransformer {
  constructor(private readonly names: ReadonlyMap<string, string>) {
    super();
  }

  protected override transformTable(
    node: TableNode,
    queryId?: Parameters<OperationNodeTransformer['transformNode']>[1],
  ): TableNode {
    const transformed = super.transformTable(node, queryId);
    const to = transformed.table.schema ? undefined : this.names.get(transformed.table.identifier.name);
    return to
      ? { ...transformed, table: { ...transformed.table, identifier: IdentifierNode.create(to) } }
      : transformed;
  }
}

/** Points a projection's logical table names at one generation's physical tables. */
export class GenerationTablesPlugin implements KyselyPlugin {
  private readonly transformer: RenameTablesTransformer;

  constructor(tables: readonly ProjectionTable[], generation: number) {
    this.transformer = new RenameTablesTransformer(
      new Map(tables.map((t) => [t.name, physicalTable(t.name, generation)])),
    );
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
