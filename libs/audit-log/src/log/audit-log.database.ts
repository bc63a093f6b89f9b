import Database from 'better-sqlite3';
import { CamelCasePlugin, Kysely, Migration, MigrationProvider, Migrator, sql, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase, type ReadModelConfig } from '@salur/database';
import { EMPTY_MAP_ROOT } from '../domain';
import type { AuditLogDatabase, AuditLogTables } from './audit-log.tables';

/**
 * The audit log lives in its own SQLite file (AUDIT_LOG_SQLITE_PATH) or in the read-model
 * PostgreSQL database, with its own tables and its own migration bookkeeping: the projections
 * engine migrates its read models with another set, and Kysely refuses a migration table that
 * lists migrations it was not given.
 */
export const AUDIT_LOG_MIGRATION_TABLE = 'audit_log_migrations';
export const AUDIT_LOG_MIGRATION_LOCK_TABLE = 'audit_log_migration_lock';
export const LOG_STATE_ID = 'log';
export const MAP_STATE_ID = 'map';

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/**
 * SQLite page cache of the log's file. Every leaf inserts into two indexes on random keys (event
 * id, stream): with the default 2 MiB cache, most of those inserts read a page back from the OS.
 */
const SQLITE_CACHE_KIB = 65_536;
/**
 * WAL pages before an automatic checkpoint (SQLite's default is 1,000). Those random index
 * inserts dirty pages that later batches dirty again; a larger WAL copies each back once.
 * Measured: ~10% more leaves per CPU-second than the default.
 */
const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** The better-sqlite3 handle under each SQLite log database, for the appender's prepared statements. */
const sqliteHandles = new WeakMap<AuditLogDatabase, Database.Database>();

export function openAuditLogDatabase(config: ReadModelConfig): AuditLogDatabase {
  if (config.dialect !== 'sqlite') return openDatabase<AuditLogTables>(config, 'audit-log');
  if (config.sqlitePath !== ':memory:') mkdirSync(dirname(config.sqlitePath), { recursive: true });
  const database = new Database(config.sqlitePath);
  database.pragma('journal_mode = WAL');
  // The log is rebuilt from the events if its file is lost; WAL commits stay atomic at NORMAL.
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  database.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
  const db = new Kysely<AuditLogTables>({ dialect: new SqliteDialect({ database }), plugins: [new CamelCasePlugin()] });
  sqliteHandles.set(db, database);
  return db;
}

/** The better-sqlite3 handle of a database opened by openAuditLogDatabase on SQLite, else undefined. */
export function sqliteHandleOf(db: AuditLogDatabase): Database.Database | undefined {
  return sqliteHandles.get(db);
}

export function auditLogMigrations(dialect: ReadModelConfig['dialect']): Record<string, Migration> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001-merkle-log': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('auditLogState')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('treeSize', 'bigint', (column) => column.notNull())
          .addColumn('position', 'bigint', (column) => column.notNull())
          .addColumn('updatedAt', 'text', (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('auditLogLeaves')
          .addColumn('leafIndex', 'bigint', (column) => column.primaryKey())
          .addColumn('position', 'bigint', (column) => column.notNull())
          .addColumn('eventId', 'text', (column) => column.notNull().unique())
          .addColumn('stream', 'text', (column) => column.notNull())
          .addColumn('revision', 'bigint', (column) => column.notNull())
          .addColumn('eventType', 'text', (column) => column.notNull())
          .addColumn('leafBytes', bytes, (column) => column.notNull())
          .addColumn('leafHash', bytes, (column) => column.notNull())
          .execute();
        // One stream's events in revision order: a payment's or a batch's history in one read.
        await db.schema
          .createIndex('audit_log_leaves_stream_revision')
          .on('auditLogLeaves')
          .columns(['stream', 'revision'])
          .unique()
          .execute();
        await db.schema
          .createTable('auditLogNodes')
          .addColumn('level', 'integer', (column) => column.notNull())
          .addColumn('nodeIndex', 'bigint', (column) => column.notNull())
          .addColumn('hash', bytes, (column) => column.notNull())
          .addPrimaryKeyConstraint('audit_log_nodes_pk', ['level', 'nodeIndex'])
          .execute();
        await db.schema
          .createTable('auditLogSubjects')
          .addColumn('subject', 'text', (column) => column.notNull())
          .addColumn('leafIndex', 'bigint', (column) => column.notNull())
          .addPrimaryKeyConstraint('audit_log_subjects_pk', ['subject', 'leafIndex'])
          .execute();
        await db.schema
          .createTable('auditLogCheckpoints')
          .addColumn('treeSize', 'bigint', (column) => column.primaryKey())
          .addColumn('rootHash', bytes, (column) => column.notNull())
          .addColumn('note', 'text', (column) => column.notNull())
          .addColumn('keyName', 'text', (column) => column.notNull())
          .addColumn('keyId', 'text', (column) => column.notNull())
          .addColumn('signedAt', 'text', (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('auditLogCosignatures')
          .addColumn('treeSize', 'bigint', (column) => column.notNull())
          .addColumn('keyName', 'text', (column) => column.notNull())
          .addColumn('keyId', 'text', (column) => column.notNull())
          .addColumn('line', 'text', (column) => column.notNull())
          .addColumn('addedAt', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('audit_log_cosignatures_pk', ['treeSize', 'keyName', 'keyId'])
          .execute();
        await (db as unknown as AuditLogDatabase)
          .insertInto('auditLogState')
          .values({ id: LOG_STATE_ID, treeSize: 0, position: -1, updatedAt: new Date().toISOString() })
          .execute();
      },
    },
    '0002-stream-head-map': {
      async up(db: Kysely<unknown>) {
        // A proof and an update read whole buckets: rows are kept in (bucket, key) order, and on
        // SQLite in that one B-tree (WITHOUT ROWID), not in a table plus two indexes.
        await db.schema
          .createTable('auditLogMapLeaves')
          .addColumn('bucket', 'integer', (column) => column.notNull())
          .addColumn('keyHash', bytes, (column) => column.notNull())
          .addColumn('revision', 'bigint', (column) => column.notNull())
          .addColumn('leafIndex', 'bigint', (column) => column.notNull())
          .addColumn('leafHash', bytes, (column) => column.notNull())
          .addPrimaryKeyConstraint('audit_log_map_leaves_pk', ['bucket', 'keyHash'])
          .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
          .execute();
        await db.schema
          .createTable('auditLogMapNodes')
          .addColumn('nodeIndex', 'integer', (column) => column.primaryKey())
          .addColumn('hash', bytes, (column) => column.notNull())
          .addColumn('leaves', 'bigint', (column) => column.notNull())
          .execute();
        await db.schema
          .createTable('auditLogMapState')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('treeSize', 'bigint', (column) => column.notNull())
          .addColumn('rootHash', bytes, (column) => column.notNull())
          .execute();
        await (db as unknown as AuditLogDatabase)
          .insertInto('auditLogMapState')
          .values({ id: MAP_STATE_ID, treeSize: 0, rootHash: EMPTY_MAP_ROOT })
          .execute();
      },
    },
    '0003-batch-lines': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('auditLogBatchLines')
          .addColumn('leafIndex', 'bigint', (column) => column.primaryKey())
          .addColumn('lines', 'text', (column) => column.notNull())
          .execute();
      },
    },
  };
}

/** Brings the audit log's tables to the latest version. */
export async function migrateAuditLog(db: AuditLogDatabase, dialect: ReadModelConfig['dialect']): Promise<void> {
  const migrations = auditLogMigrations(dialect);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: AUDIT_LOG_MIGRATION_TABLE,
    migrationLockTableName: AUDIT_LOG_MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Audit-log migration '${failed}' failed: ${reason}`, { cause: error });
  }
}
