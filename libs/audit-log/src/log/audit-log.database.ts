import { Kysely, Migration, MigrationProvider, Migrator } from 'kysely';
import { openReadModelDatabase, type ReadModelConfig } from '@salur/projections';
import type { AuditLogDatabase } from './audit-log.tables';

/**
 * The audit log lives in the read-model database (an SQLite file next to the events, or the
 * PostgreSQL database), with its own tables and its own migration bookkeeping: the projections
 * engine migrates its read models with another set, and Kysely refuses a migration table that
 * lists migrations it was not given.
 */
export const AUDIT_LOG_MIGRATION_TABLE = 'audit_log_migrations';
export const AUDIT_LOG_MIGRATION_LOCK_TABLE = 'audit_log_migration_lock';
export const LOG_STATE_ID = 'log';

export function openAuditLogDatabase(config: ReadModelConfig): AuditLogDatabase {
  return openReadModelDatabase(config) as unknown as AuditLogDatabase;
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
