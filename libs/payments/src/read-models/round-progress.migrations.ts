import type { Kysely, Migration } from 'kysely';
import { FIRST_ROUND_STAGES } from './round-progress.tables';

/** The round-progress schema, version by version; a released migration is never edited. */
export const ROUND_PROGRESS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('roundProgressPayments')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('period', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('batchId', 'text')
        .addColumn('attempt', 'integer', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('roundProgressBatches')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text')
        .addColumn('period', 'text')
        .addColumn('status', 'text')
        .addColumn('waiting', 'integer', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
      let rounds = db.schema
        .createTable('roundProgressRounds')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('programmeId', 'text', (column) => column.notNull())
        .addColumn('period', 'text', (column) => column.notNull());
      for (const stage of FIRST_ROUND_STAGES) rounds = rounds.addColumn(stage, 'integer', (column) => column.notNull());
      await rounds
        .addColumn('payments', 'integer', (column) => column.notNull())
        .addColumn('updatedAt', 'text', (column) => column.notNull())
        .addColumn('lastPosition', 'bigint', (column) => column.notNull())
        .execute();
    },
  },
  // Unknown outcomes and the officers' decisions: no such payment existed before, so 0 is right.
  '0002-outcome-stages': {
    async up(db: Kysely<unknown>) {
      for (const stage of ['outcomeUnknown', 'notCredited']) {
        await db.schema
          .alterTable('roundProgressRounds')
          .addColumn(stage, 'integer', (column) => column.notNull().defaultTo(0))
          .execute();
      }
    },
  },
};
