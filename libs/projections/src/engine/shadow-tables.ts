import {
  CreateIndexNode,
  createQueryId,
  DropIndexNode,
  IdentifierNode,
  Kysely,
  KyselyPlugin,
  OperationNodeTransformer,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  SchemableIdentifierNode,
  sql,
  TableNode,
  UnknownRow,
} from 'kysely';
import type { Projection } from './projection';
import type { EngineTables } from './read-model-database';

/**
 * A rebuild writes into shadow tables, the projection's own tables under another name, and swaps
 * them in at the end. `audit_trail_events` is rebuilt as `audit_trail_events__rebuild`; its
 * indexes likewise. A double underscore never comes out of a camelCase name, so a shadow name
 * cannot be another table's.
 */
export const SHADOW_SUFFIX = '__rebuild';

/** A table name as SQL sees it: what Kysely's CamelCasePlugin makes of the camelCase name in code. */
export function sqlTableName(table: string): string {
  return table.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function shadowName(name: string): string {
  return `${name}${SHADOW_SUFFIX}`;
}

/** Renames the projection's tables and index names to their shadows, wherever a query names them. */
class ShadowNames extends OperationNodeTransformer {
  constructor(private readonly tables: ReadonlySet<string>) {
    super();
  }

  protected override transformTable(node: TableNode): TableNode {
    const table = super.transformTable(node);
    const name = table.table.identifier.name;
    if (!this.tables.has(name)) return table;
    return { ...table, table: { ...table.table, identifier: IdentifierNode.create(shadowName(name)) } };
  }

  protected override transformCreateIndex(node: CreateIndexNode): CreateIndexNode {
    const index = super.transformCreateIndex(node);
    return { ...index, name: IdentifierNode.create(shadowName(index.name.name)) };
  }

  protected override transformDropIndex(node: DropIndexNode): DropIndexNode {
    const index = super.transformDropIndex(node);
    const name: SchemableIdentifierNode = {
      ...index.name,
      identifier: IdentifierNode.create(shadowName(indexName(index))),
    };
    return { ...index, name };
  }
}

function indexName(node: DropIndexNode): string {
  return node.name.identifier.name;
}

/** An index the projection's migrations create, as it is created on the live table and on the shadow. */
export interface ShadowIndex {
  readonly name: string;
  readonly live: CreateIndexNode;
  readonly shadow: CreateIndexNode;
}

/**
 * A Kysely plugin (added after CamelCasePlugin, so it sees snake_case names) that points every
 * query at the shadow tables. While `recordIndexes` is on (the migrations run), it notes each
 * CREATE INDEX, so the rebuild can drop the indexes from the empty shadow, fill it without them
 * (faster), and build them once it is complete (see rebuild.ts).
 */
export class ShadowTablesPlugin implements KyselyPlugin {
  readonly tables: readonly string[];
  private readonly transformer: ShadowNames;
  private readonly recorded = new Map<string, ShadowIndex>();
  recordIndexes = false;

  constructor(projection: Projection) {
    this.tables = projection.readModels.map((readModel) => sqlTableName(readModel.table));
    this.transformer = new ShadowNames(new Set(this.tables));
  }

  /** The indexes the migrations left on the projection's tables. */
  get indexes(): readonly ShadowIndex[] {
    return [...this.recorded.values()];
  }

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    const shadow = this.transformer.transformNode(node);
    if (this.recordIndexes && CreateIndexNode.is(node) && CreateIndexNode.is(shadow)) {
      this.recorded.set(node.name.name, { name: node.name.name, live: node, shadow });
    }
    // A later migration drops an index an earlier one created.
    if (this.recordIndexes && DropIndexNode.is(node)) this.recorded.delete(indexName(node));
    return shadow;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

/** Runs a recorded CREATE INDEX as it stands; `db` must have no shadow plugin of its own. */
export async function createIndex(db: Kysely<EngineTables>, index: CreateIndexNode): Promise<void> {
  await db.executeQuery(db.getExecutor().compileQuery(index, createQueryId()));
}

export async function dropIndex(db: Kysely<EngineTables>, name: string): Promise<void> {
  await db.schema.dropIndex(name).execute();
}

/** `ALTER INDEX … RENAME TO …` (PostgreSQL; SQLite cannot rename an index). */
export async function renameIndex(db: Kysely<EngineTables>, from: string, to: string): Promise<void> {
  await sql`alter index ${sql.id(from)} rename to ${sql.id(to)}`.execute(db);
}
