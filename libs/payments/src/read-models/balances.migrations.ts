import type { Kysely, Migration } from 'kysely';

/** The balances' schema, version by version; a released migration is never edited. */
export const BALANCES_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('balancesPayments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('period', 'text', (column) => column.notNull())
        .addColumn('beneficiaryId', 'text', (column) => column.notNull())
        .addColumn('amount', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('batchId', 'text')
        .addColumn('attempt', 'integer', (column) => column.notNull())
        .addColumn('creditedAmount', 'text')
        .addColumn('deductedAmount', 'text')
        .addColumn('reversedAmount', 'text')
        .addColumn('scheduledAt', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('balances_payments_by_beneficiary')
        .on('balancesPayments')
        .columns(['programmeId', 'beneficiaryId', 'period', 'id'])
        .execute();

      await db.schema
        .createTable('balancesBeneficiaries')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('beneficiaryId', 'text', (column) => column.notNull())
        .addColumn('payments', 'integer', (column) => column.notNull())
        .addColumn('approved', 'text', (column) => column.notNull())
        .addColumn('waiting', 'text', (column) => column.notNull())
        .addColumn('inFlight', 'text', (column) => column.notNull())
        .addColumn('credited', 'text', (column) => column.notNull())
        .addColumn('awaitingReissue', 'text', (column) => column.notNull())
        .addColumn('reversed', 'text', (column) => column.notNull())
        .addColumn('deducted', 'text', (column) => column.notNull())
        .addColumn('outstanding', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
    },
  },
  // The payment list (GET /payments) reads this table too: its filters' indexes.
  '0002-payment-list-indexes': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('balances_payments_by_programme_period')
        .on('balancesPayments')
        .columns(['programmeId', 'period', 'scheduledAt', 'id'])
        .execute();
      await db.schema
        .createIndex('balances_payments_by_schedule')
        .on('balancesPayments')
        .columns(['scheduledAt', 'id'])
        .execute();
      await db.schema.createIndex('balances_payments_by_batch').on('balancesPayments').column('batchId').execute();
      await db.schema
        .createIndex('balances_payments_by_beneficiary_id')
        .on('balancesPayments')
        .column('beneficiaryId')
        .execute();
    },
  },
};
