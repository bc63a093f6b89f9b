import { dirname, join } from 'node:path';
import { Kysely, Migration, MigrationProvider, Migrator, sql } from 'kysely';
import type { Environment } from '@salur/config';
import { openDatabase, readModelConfigFrom, type ReadModelConfig } from '@salur/database';
import { eventStoreConfigFrom } from '@salur/event-store';
import type { IdempotencyState } from './idempotency-records';

/**
 * Where the idempotency records live, and why not in the event store. A refused command writes
 * nothing to the log (DESIGN.md), yet its key must keep the refusal so that a retry with the same
 * body gets it again and another body gets IDEMPOTENCY_KEY_REUSED. A record is bookkeeping about
 * requests, not a fact of the ledger: it has no place in the log, the Merkle log or the replays.
 * So every key's record is one row of a table the HTTP platform owns, in the SQL database beside
 * the log, written with single-row statements whose version check makes a claim exclusive across
 * processes (an INSERT on the primary key, then UPDATE … WHERE version = the one read):
 * - PostgreSQL: the read-model database (READ_MODEL_DATABASE_URL, by default the events' own), so
 *   every API process sharing the ledger shares the records;
 * - SQLite: a file of its own next to the events (salur-idempotency.db), written at
 *   synchronous=FULL like the events. Not the read models' file: two writers on one SQLite file in
 *   one process stall each other (better-sqlite3 waits for the lock synchronously, blocking the
 *   event loop the other writer needs to commit), and the read models may be deleted to rebuild.
 */
export interface IdempotencyKeyTable {
  /** sha256 of (user id, key): IdempotentRequest.keyId. */
  readonly keyId: string;
  readonly requestHash: string;
  readonly method: string;
  readonly path: string;
  readonly state: IdempotencyState;
  readonly version: number;
  readonly requestId: string;
  readonly successStatus: number;
  readonly fromPosition: number | null;
  readonly startedAt: string;
  readonly status: number | null;
  /** The StoredAnswer as JSON. */
  readonly answer: string | null;
  readonly updatedAt: string;
}

export interface IdempotencyTables {
  readonly idempotencyKeys: IdempotencyKeyTable;
}

export type IdempotencyDatabase = Kysely<IdempotencyTables>;

/** Injection token of the IdempotencyDatabase in Nest (HttpPlatformModule opens and closes it). */
export const IDEMPOTENCY_DATABASE = Symbol('IDEMPOTENCY_DATABASE');

const IDEMPOTENCY_FILE_NAME = 'salur-idempotency.db';
/** Its own migration bookkeeping: Kysely refuses a migration table listing migrations it was not given. */
const MIGRATION_TABLE = 'idempotency_migrations';
const MIGRATION_LOCK_TABLE = 'idempotency_migration_lock';

/** The read-model PostgreSQL database, or an SQLite file next to the events'. */
export function idempotencyDatabaseFrom(env: Environment): ReadModelConfig {
  const eventStore = eventStoreConfigFrom(env);
  const readModels = readModelConfigFrom(env, eventStore);
  if (readModels.dialect !== 'sqlite') return readModels;
  const beside =
    eventStore.sqlitePath === ':memory:' ? ':memory:' : join(dirname(eventStore.sqlitePath), IDEMPOTENCY_FILE_NAME);
  return { ...readModels, sqlitePath: beside };
}

/** Opens the records' database and brings its table to the latest version. */
export async function openIdempotencyDatabase(config: ReadModelConfig): Promise<IdempotencyDatabase> {
  const db = openDatabase<IdempotencyTables>(config, 'idempotency-store');
  try {
    // The records outlive a power cut as the events do: a claim lost while its command's events
    // survived would let a retry run the command again. One connection, so the pragma holds.
    if (config.dialect === 'sqlite') await sql`PRAGMA synchronous = FULL`.execute(db);
    await migrateIdempotencyDatabase(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

const MIGRATIONS: Record<string, Migration> = {
  '0001-idempotency-keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('idempotencyKeys')
        .addColumn('keyId', 'text', (column) => column.primaryKey())
        .addColumn('requestHash', 'text', (column) => column.notNull())
        .addColumn('method', 'text', (column) => column.notNull())
        .addColumn('path', 'text', (column) => column.notNull())
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('requestId', 'text', (column) => column.notNull())
        .addColumn('successStatus', 'integer', (column) => column.notNull())
        .addColumn('fromPosition', 'bigint')
        .addColumn('startedAt', 'text', (column) => column.notNull())
        .addColumn('status', 'integer')
        .addColumn('answer', 'text')
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .execute();
    },
  },
};

async function migrateIdempotencyDatabase(db: IdempotencyDatabase): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Idempotency migration '${failed}' failed: ${reason}`, { cause: error });
  }
}
