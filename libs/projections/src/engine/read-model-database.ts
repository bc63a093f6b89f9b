import { openDatabase, type ReadModelConfig } from '@salur/database';
import type { Kysely } from 'kysely';

/** The engine's own table: one checkpoint per projection. */
export interface ProjectionCheckpointTable {
  readonly name: string;
  /** Global position of the last event applied, NO_POSITION (-1) before the first. */
  readonly position: number;
  readonly updatedAt: string;
}

export interface EngineTables {
  readonly projectionCheckpoints: ProjectionCheckpointTable;
}

/**
 * The read-model database, SQLite or PostgreSQL behind one Kysely instance: every query is
 * written once. Identifiers are camelCase in code and snake_case in SQL (CamelCasePlugin), so a
 * person at a psql prompt needs no quotes. Projections and query services add their tables with
 * `withTables<…>()`.
 */
export type ReadModelDatabase = Kysely<EngineTables>;

/** Injection token of the ReadModelDatabase in Nest. */
export const READ_MODEL_DATABASE = Symbol('READ_MODEL_DATABASE');

export function openReadModelDatabase(config: ReadModelConfig): ReadModelDatabase {
  return openDatabase<EngineTables>(config);
}
