import type { Kysely, Migration } from 'kysely';

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
};
