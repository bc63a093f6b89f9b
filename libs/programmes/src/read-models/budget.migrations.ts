import type { Kysely, Migration } from 'kysely';

/** The budget views' schema, version by version; a released migration is never edited. */
export const BUDGET_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('budgetPayments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('budgetProgrammes')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('code', 'text', (column) => column.notNull())
        .addColumn('fiscalYear', 'integer', (column) => column.notNull())
        .addColumn('ceiling', 'text', (column) => column.notNull())
        .addColumn('reserved', 'text', (column) => column.notNull())
        .addColumn('released', 'text', (column) => column.notNull())
        .addColumn('credited', 'text', (column) => column.notNull())
        .addColumn('remaining', 'text', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
    },
  },
};
