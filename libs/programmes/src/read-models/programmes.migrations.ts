import type { Kysely, Migration } from 'kysely';

/** The programme list's schema; a released migration is never edited, a change is a new entry. */
export const PROGRAMMES_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('programmes')
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
        .createIndex('programmes_by_fiscal_year')
        .on('programmes')
        .columns(['fiscalYear', 'createdAt', 'id'])
        .execute();
    },
  },
};
