import type { Kysely, Migration } from 'kysely';

/** The batch views' schema, version by version; a released migration is never edited. */
export const BATCH_VIEWS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('batchViewsPayments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('batchId', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('batchViewsBatches')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('period', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('makerId', 'text', (column) => column.notNull())
        .addColumn('approverIds', 'text', (column) => column.notNull())
        .addColumn('requiredApprovals', 'integer', (column) => column.notNull())
        .addColumn('count', 'integer', (column) => column.notNull())
        .addColumn('controlSum', 'text', (column) => column.notNull())
        .addColumn('contentHash', 'text', (column) => column.notNull())
        .addColumn('sent', 'integer', (column) => column.notNull())
        .addColumn('credited', 'integer', (column) => column.notNull())
        .addColumn('rejected', 'integer', (column) => column.notNull())
        .addColumn('returned', 'integer', (column) => column.notNull())
        .addColumn('reversed', 'integer', (column) => column.notNull())
        .addColumn('pending', 'integer', (column) => column.notNull())
        .addColumn('exceptions', 'integer', (column) => column.notNull())
        .addColumn('fileName', 'text')
        .addColumn('fileSha256', 'text')
        .addColumn('fileFormat', 'text')
        .addColumn('fileGeneratedAt', 'text')
        .addColumn('files', 'text', (column) => column.notNull())
        .addColumn('createdAt', 'text', (column) => column.notNull())
        .addColumn('approvedAt', 'text')
        .addColumn('submittedAt', 'text')
        .addColumn('closedAt', 'text')
        .addColumn('expiresAt', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('batch_views_batches_by_programme_period')
        .on('batchViewsBatches')
        .columns(['programmeId', 'period', 'createdAt', 'id'])
        .execute();
      await db.schema
        .createIndex('batch_views_batches_by_creation')
        .on('batchViewsBatches')
        .columns(['createdAt', 'id'])
        .execute();
    },
  },
  // The batch list (GET /batches) reads this table too, and filters by maker.
  '0002-batch-list-by-maker': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('batch_views_batches_by_maker').on('batchViewsBatches').column('makerId').execute();
    },
  },
  // Unknown outcomes, the officers' decisions and settlement: no such event existed before, so 0 and null are right.
  '0003-outcomes-and-settlement': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('batchViewsPayments')
        .addColumn('outcomeUnknown', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
      for (const count of ['notCredited', 'outcomeUnknown']) {
        await db.schema
          .alterTable('batchViewsBatches')
          .addColumn(count, 'integer', (column) => column.notNull().defaultTo(0))
          .execute();
      }
      await db.schema.alterTable('batchViewsBatches').addColumn('settledAt', 'text').execute();
    },
  },
};
