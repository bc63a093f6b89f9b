import { Kysely, Migration, MigrationProvider, Migrator } from 'kysely';
import { NO_POSITION, type Projection } from './projection';
import type { EngineTables, ReadModelDatabase } from './read-model-database';

/** Kysely's bookkeeping tables, named so they cannot collide with another user of the same database. */
export const MIGRATION_TABLE = 'read_model_migrations';
export const MIGRATION_LOCK_TABLE = 'read_model_migration_lock';

/**
 * Starts with a digit, so the engine's migrations sort before every projection's (projection
 * names start with a letter) and a projection's migration may rely on the checkpoint table.
 */
const ENGINE_MIGRATION_PREFIX = '0-engine';
const PROJECTION_NAME = /^[a-z][a-z0-9-]{0,62}$/;

const ENGINE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-checkpoints': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projectionCheckpoints')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('position', 'bigint', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .execute();
    },
  },
};

/**
 * Every migration of the engine and of the given projections, named `<owner>/<migration>`.
 * Projections own disjoint tables, so only the order within one owner matters: migrations of a
 * projection added later may run after those of older ones (allowUnorderedMigrations below).
 */
export function migrationsOf(projections: readonly Projection[]): Record<string, Migration> {
  const all: Record<string, Migration> = prefixed(ENGINE_MIGRATION_PREFIX, ENGINE_MIGRATIONS);
  const seen = new Set<string>();
  for (const projection of projections) {
    if (!PROJECTION_NAME.test(projection.name)) {
      throw new Error(`Projection name '${projection.name}' must match ${PROJECTION_NAME}`);
    }
    if (seen.has(projection.name)) throw new Error(`Projection '${projection.name}' is registered twice`);
    seen.add(projection.name);
    Object.assign(all, prefixed(projection.name, projection.migrations));
  }
  return all;
}

/** Brings the read-model database to the latest version; returns the names of the migrations run. */
export async function migrateReadModels(db: ReadModelDatabase, projections: readonly Projection[]): Promise<string[]> {
  const migrations = migrationsOf(projections);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    allowUnorderedMigrations: true,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Read-model migration '${failed}' failed: ${describe(error)}`, { cause: error });
  }
  return results.map((result) => result.migrationName);
}

/**
 * For a migration whose new shape cannot be computed from the old rows (personal data sealed, a
 * column derived differently): drops the projection's table, has `create` make it anew, and, when
 * the old table held rows, sends the projection's checkpoint back to before the first event so the
 * running engine refills it from the log (replays are idempotent: tables left alone keep their
 * rows, each row skipping the events it already applied). On a rebuild's shadow, created empty a
 * moment before, nothing needs refilling and the live checkpoint is left alone. `indexes` are the
 * old table's: dropped by name first, so a rebuild (which rebuilds the indexes the migrations leave)
 * forgets them.
 */
export async function replaceTableAndRefill(
  db: Kysely<unknown>,
  target: { readonly projection: string; readonly table: string; readonly indexes: readonly string[] },
  create: () => Promise<void>,
): Promise<void> {
  const { projection, table, indexes } = target;
  const rows = db as unknown as Kysely<Record<string, { id: string }>>;
  const filled = (await rows.selectFrom(table).select('id').limit(1).execute()).length > 0;
  for (const index of indexes) await db.schema.dropIndex(index).execute();
  await db.schema.dropTable(table).execute();
  await create();
  if (!filled) return;
  await (db as unknown as Kysely<EngineTables>)
    .updateTable('projectionCheckpoints')
    .set({ position: NO_POSITION, updatedAt: new Date().toISOString() })
    .where('name', '=', projection)
    .execute();
}

function prefixed(owner: string, migrations: Readonly<Record<string, Migration>>): Record<string, Migration> {
  return Object.fromEntries(Object.entries(migrations).map(([name, migration]) => [`${owner}/${name}`, migration]));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
