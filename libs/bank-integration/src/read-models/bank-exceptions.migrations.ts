import type { Kysely, Migration } from 'kysely';
import { replaceTableAndRefill } from '@salur/projections';

/** The items' indexes: the list's order, and each filter followed by it (keyset pages on every filter). */
const ITEM_INDEX_COLUMNS = ['status', 'batchId', 'sha256', 'reason'] as const;
const itemIndexName = (column: string) =>
  `bank_exceptions_items_by_${column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/** The exception queue's schema, version by version; a released migration is never edited. */
export const BANK_EXCEPTIONS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('bankExceptionsPayments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('batchId', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('bankExceptionsItems')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('queueOrder', 'text', (column) => column.notNull())
        .addColumn('reason', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('sha256', 'text')
        .addColumn('line', 'integer')
        .addColumn('paymentId', 'text')
        .addColumn('batchId', 'text')
        .addColumn('endToEndId', 'text', (column) => column.notNull())
        .addColumn('outcome', 'text', (column) => column.notNull())
        .addColumn('detail', 'text', (column) => column.notNull())
        .addColumn('amount', 'text')
        .addColumn('accountNumber', 'text')
        .addColumn('bankReference', 'text', (column) => column.notNull())
        .addColumn('raisedAt', 'text', (column) => column.notNull())
        .addColumn('assigneeId', 'text')
        .addColumn('assignedBy', 'text')
        .addColumn('assignedAt', 'text')
        .addColumn('resolvedBy', 'text')
        .addColumn('resolvedAt', 'text')
        .addColumn('resolution', 'text')
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      // The list's order, and each filter followed by it (keyset pages on every filter).
      await db.schema
        .createIndex('bank_exceptions_items_by_order')
        .on('bankExceptionsItems')
        .columns(['queueOrder', 'id'])
        .execute();
      for (const column of ['status', 'batchId', 'sha256', 'reason'] as const) {
        await db.schema
          .createIndex(`bank_exceptions_items_by_${column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`)
          .on('bankExceptionsItems')
          .columns([column, 'queueOrder', 'id'])
          .execute();
      }
      await db.schema
        .createTable('bankExceptionsCounts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('total', 'integer', (column) => column.notNull())
        .addColumn('open', 'integer', (column) => column.notNull())
        .addColumn('assigned', 'integer', (column) => column.notNull())
        .addColumn('resolved', 'integer', (column) => column.notNull())
        .addColumn('shortCredits', 'integer', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('bank_exceptions_counts_by_kind')
        .on('bankExceptionsCounts')
        .columns(['kind', 'id'])
        .execute();
    },
  },
  /**
   * Personal data sealed (issue 18): items kept the line's account number and the operator's
   * reason in clear. The items table is dropped with them and created in the new shape; the
   * projection then refills it from the log (the counts and the payments' batches stay).
   */
  '0002-sealed-personal-data': {
    async up(db: Kysely<unknown>) {
      const items = {
        projection: 'bank-exceptions',
        table: 'bankExceptionsItems',
        indexes: ['bank_exceptions_items_by_order', ...ITEM_INDEX_COLUMNS.map(itemIndexName)],
      };
      await replaceTableAndRefill(db, items, async () => {
        await db.schema
          .createTable('bankExceptionsItems')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('queueOrder', 'text', (column) => column.notNull())
          .addColumn('reason', 'text', (column) => column.notNull())
          .addColumn('status', 'text', (column) => column.notNull())
          .addColumn('sha256', 'text')
          .addColumn('line', 'integer')
          .addColumn('paymentId', 'text')
          .addColumn('batchId', 'text')
          .addColumn('endToEndId', 'text', (column) => column.notNull())
          .addColumn('outcome', 'text', (column) => column.notNull())
          .addColumn('detail', 'text', (column) => column.notNull())
          .addColumn('amount', 'text')
          .addColumn('sealedAccountNumber', 'text')
          .addColumn('bankReference', 'text', (column) => column.notNull())
          .addColumn('raisedAt', 'text', (column) => column.notNull())
          .addColumn('assigneeId', 'text')
          .addColumn('assignedBy', 'text')
          .addColumn('assignedAt', 'text')
          .addColumn('resolvedBy', 'text')
          .addColumn('resolvedAt', 'text')
          .addColumn('sealedResolution', 'text')
          .addColumn('updatedAt', 'text', (column) => column.notNull())
          .addColumn('lastPosition', 'bigint', (column) => column.notNull())
          .execute();
        await db.schema
          .createIndex('bank_exceptions_items_by_order')
          .on('bankExceptionsItems')
          .columns(['queueOrder', 'id'])
          .execute();
        for (const column of ITEM_INDEX_COLUMNS) {
          await db.schema
            .createIndex(itemIndexName(column))
            .on('bankExceptionsItems')
            .columns([column, 'queueOrder', 'id'])
            .execute();
        }
      });
    },
  },
};
