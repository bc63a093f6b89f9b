import type { Kysely, Migration } from 'kysely';
import { replaceTableAndRefill } from '@salur/projections';

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
  /**
   * Personal data sealed (issue 18): the table held NIK, KK, names and accounts in clear. It is
   * dropped with them and created in the new shape; the projection then refills it from the log.
   */
  '0002-sealed-personal-data': {
    async up(db: Kysely<unknown>) {
      const indexes = ['beneficiaries_by_programme', 'beneficiaries_by_enrolment', 'beneficiaries_by_nik'];
      await replaceTableAndRefill(db, { projection: 'beneficiaries', table: 'beneficiaries', indexes }, async () => {
        await db.schema
          .createTable('beneficiaries')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('programmeId', 'text', (column) => column.notNull())
          .addColumn('nikSearchKey', 'text')
          .addColumn('kkSearchKey', 'text')
          .addColumn('sealedNik', 'text')
          .addColumn('sealedKk', 'text')
          .addColumn('sealedName', 'text')
          .addColumn('regionCode', 'text', (column) => column.notNull())
          .addColumn('bankCode', 'text', (column) => column.notNull())
          .addColumn('sealedAccountNumber', 'text')
          .addColumn('sealedAccountHolderName', 'text')
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
        await db.schema
          .createIndex('beneficiaries_by_nik_search_key')
          .on('beneficiaries')
          .column('nikSearchKey')
          .execute();
        await db.schema
          .createIndex('beneficiaries_by_kk_search_key')
          .on('beneficiaries')
          .column('kkSearchKey')
          .execute();
      });
    },
  },
};
