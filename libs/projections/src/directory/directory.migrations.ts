import type { Kysely, Migration } from 'kysely';

/**
 * The directory's schema, version by version. A migration is never edited once released: a
 * change is a new entry (`0002-…`). Columns are TEXT, INTEGER or BIGINT, identical in both dialects.
 */
export const DIRECTORY_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('directoryProgrammes')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('code', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('fiscalYear', 'integer', (column) => column.notNull())
        .addColumn('currency', 'text', (column) => column.notNull())
        .addColumn('budgetCeiling', 'text', (column) => column.notNull())
        .addColumn('benefitAmount', 'text', (column) => column.notNull())
        .addColumn('reserved', 'text', (column) => column.notNull())
        .addColumn('released', 'text', (column) => column.notNull())
        .addColumn('createdAt', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('directory_programmes_by_fiscal_year')
        .on('directoryProgrammes')
        .columns(['fiscalYear', 'createdAt', 'id'])
        .execute();

      await db.schema
        .createTable('directoryBeneficiaries')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('nik', 'text', (column) => column.notNull())
        .addColumn('kk', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('regionCode', 'text', (column) => column.notNull())
        .addColumn('bankCode', 'text', (column) => column.notNull())
        .addColumn('accountNumber', 'text', (column) => column.notNull())
        .addColumn('accountHolderName', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('enrolledAt', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('directory_beneficiaries_by_programme')
        .on('directoryBeneficiaries')
        .columns(['programmeId', 'enrolledAt', 'id'])
        .execute();
      await db.schema
        .createIndex('directory_beneficiaries_by_enrolment')
        .on('directoryBeneficiaries')
        .columns(['enrolledAt', 'id'])
        .execute();
      await db.schema
        .createIndex('directory_beneficiaries_by_nik')
        .on('directoryBeneficiaries')
        .column('nik')
        .execute();

      await db.schema
        .createTable('directoryPayments')
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
        .addColumn('scheduledAt', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('directory_payments_by_programme_period')
        .on('directoryPayments')
        .columns(['programmeId', 'period', 'scheduledAt', 'id'])
        .execute();
      await db.schema
        .createIndex('directory_payments_by_schedule')
        .on('directoryPayments')
        .columns(['scheduledAt', 'id'])
        .execute();
      await db.schema.createIndex('directory_payments_by_batch').on('directoryPayments').column('batchId').execute();
      await db.schema
        .createIndex('directory_payments_by_beneficiary')
        .on('directoryPayments')
        .column('beneficiaryId')
        .execute();

      await db.schema
        .createTable('directoryBatches')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('period', 'text', (column) => column.notNull())
        .addColumn('makerId', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('count', 'integer', (column) => column.notNull())
        .addColumn('controlSum', 'text', (column) => column.notNull())
        .addColumn('contentHash', 'text', (column) => column.notNull())
        .addColumn('requiredApprovals', 'integer', (column) => column.notNull())
        .addColumn('approverIds', 'text', (column) => column.notNull())
        .addColumn('expiresAt', 'text', (column) => column.notNull())
        .addColumn('createdAt', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('directory_batches_by_programme_period')
        .on('directoryBatches')
        .columns(['programmeId', 'period', 'createdAt', 'id'])
        .execute();
      await db.schema
        .createIndex('directory_batches_by_creation')
        .on('directoryBatches')
        .columns(['createdAt', 'id'])
        .execute();
      await db.schema.createIndex('directory_batches_by_maker').on('directoryBatches').column('makerId').execute();
    },
  },
};
