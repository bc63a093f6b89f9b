import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

/**
 * The programme list as rows. Money is a canonical decimal string ("600000.00"), never a number;
 * instants are ISO-8601 UTC strings, which sort as they read.
 */
export const PROGRAMMES_TABLE = 'programmes';

export type ProgrammeRow = {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly fiscalYear: number;
  readonly currency: string;
  readonly budgetCeiling: string;
  readonly benefitAmount: string;
  /** Everything ever reserved, including what was later released. */
  readonly reserved: string;
  readonly released: string;
  readonly createdAt: string;
  readonly updatedAt: string;
};

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type ProgrammesTables = { programmes: Stored<ProgrammeRow> };

export type ProgrammesDatabase = Kysely<EngineTables & ProgrammesTables>;

export function programmesDatabase(db: ReadModelDatabase): ProgrammesDatabase {
  return db.withTables<ProgrammesTables>();
}
