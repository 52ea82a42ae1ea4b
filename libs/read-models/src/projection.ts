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
import type BetterSqlite3 from 'better-sqlite3';
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

/** What a projection noticed while applying a page, handed out once the page is committed. */
export interface ApplicationStatusChange {
  kind: 'application-status';
  applicationId: string;
  status: string;
  /** The application's stream revision that set it. */
  revision: number;
  position: number;
  /** occurredAt of the event. */
  at: string;
}
export type ProjectionChange = ApplicationStatusChange;

/** Where and how a page is being written. */
export interface ApplyContext {
  /** The physical table of a logical one in the generation being written (`applications__g3`). */
  table(name: ProjectionTableName): string;
  /**
   * SQLite only: the better-sqlite3 connection the transaction runs on. Projections may run
   * cached prepared statements on it directly: they are inside the same transaction.
   */
  sqlite?: BetterSqlite3.Database;
  /** The database's dialect, when the caller knows it (PostgreSQL rows then go as JSON). */
  dialect?: ReadModelDialect;
  /** Changes to report after the commit (live status feeds). */
  changes: ProjectionChange[];
  /**
   * Set when several pages go into one transaction (a rebuild): a projection may keep rows in
   * memory across them and write them in `session.beforeCommit`.
   */
  session?: ApplySession;
}

/** What lives as long as one transaction that several pages are applied in. */
export class ApplySession {
  /** Per projection table: whatever its fold keeps between pages. */
  readonly memo = new Map<string, unknown>();
  private readonly pending: (() => Promise<void>)[] = [];

  /**
   * `fresh`: the tables written in this session held no rows when it began (a rebuild's newly
   * created shadow), and nobody else writes them. A row the session has never written then
   * does not exist, and a fold need not ask the database for it.
   */
  constructor(
    readonly fresh = false,
    /**
     * PostgreSQL, a fresh shadow: appends rows to a physical table by COPY, for rows written
     * once and never in conflict (ReadModelDatabase.copyRows). Absent elsewhere.
     */
    readonly copyRows?: (
      trx: Transaction<ReadModelSchema>,
      table: string,
      columns: readonly string[],
      rows: readonly (readonly unknown[])[],
    ) => Promise<void>,
  ) {}

  beforeCommit(write: () => Promise<void>): void {
    this.pending.push(write);
  }

  /**
   * Runs the deferred writes (inside the transaction, before it commits). What `memo` holds
   * is kept for the next transaction of the same session (a rebuild's next batch).
   */
  async flush(): Promise<void> {
    for (const write of this.pending.splice(0)) await write();
  }
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
  apply(trx: Transaction<ReadModelSchema>, event: StoredEvent, context?: ApplyContext): Promise<void>;
  applyBatch?(
    trx: Transaction<ReadModelSchema>,
    events: readonly StoredEvent[],
    context?: ApplyContext,
  ): Promise<void>;
}

/** What to ask the store for. */
export function storeFilter(projection: Projection): ReadAllFilter {
  return projection.streams?.length ? { streamPrefixes: projection.streams } : { types: projection.handles };
}

/** The events of a page the projection handles (a stream filter may bring others). */
export function handledEvents(projection: Projection, events: readonly StoredEvent[]): StoredEvent[] {
  const handles = handledTypes(projection);
  return events.filter((event) => handles.has(event.type));
}

/** A projection's `handles` as a set: pages are filtered per event and projection. */
const handledSets = new WeakMap<Projection, ReadonlySet<string>>();
function handledTypes(projection: Projection): ReadonlySet<string> {
  let set = handledSets.get(projection);
  if (!set) handledSets.set(projection, (set = new Set(projection.handles)));
  return set;
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
