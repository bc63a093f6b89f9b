import type { Kysely, Migration } from 'kysely';

/** The beneficiary list's schema; a released migration is never edited, a change is a new entry. */
export const BENEFICIARIES_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('beneficiaries')
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
        .createIndex('beneficiaries_by_programme')
        .on('beneficiaries')
        .columns(['programmeId', 'enrolledAt', 'id'])
        .execute();
      await db.schema
        .createIndex('beneficiaries_by_enrolment')
        .on('beneficiaries')
        .columns(['enrolledAt', 'id'])
        .execute();
      await db.schema.createIndex('beneficiaries_by_nik').on('beneficiaries').column('nik').execute();
    },
  },
};
