import type { Migration } from 'kysely';
import type { GlobalPosition, RecordedEvent } from '@salur/event-store';

/**
 * What a projection is: a name, the tables it owns, and pure functions from events to rows.
 * Nothing here touches a database, so a projection's logic is tested with plain objects; the
 * engine loads the rows an event touches, calls `evolve`, and writes back what changed, in the
 * same transaction as the projection's checkpoint.
 */

/** A column value as both SQL dialects return it: TEXT as string, INTEGER/BIGINT as number. */
export type ColumnValue = string | number | null;

/** A read-model row. `id` is the table's primary key; compose it (`a/b`) when the key has parts. */
export type ReadModelRow = { readonly id: string } & { readonly [column: string]: ColumnValue };

export interface ReadModel<Row extends ReadModelRow = ReadModelRow> {
  /**
   * The table this read model owns, camelCase in code and snake_case in SQL. Besides the row's
   * columns it has `lastPosition` (BIGINT): the global position of the last event applied to the
   * row, which makes a replay of an already applied event a no-op.
   */
  readonly table: string;
  /** Ids of the rows the event touches; empty when the event means nothing to this read model. */
  rowIdsOf(event: RecordedEvent): readonly string[];
  /**
   * The row after the event, given the row before it (undefined: there is none). Returning the
   * same object means "unchanged"; returning undefined deletes the row (or leaves it absent).
   */
  evolve(row: Row | undefined, event: RecordedEvent, id: string): Row | undefined;
}

export interface Projection {
  /** Stable forever: it keys the checkpoint and prefixes the migration names. */
  readonly name: string;
  readonly readModels: readonly ReadModel[];
  /**
   * Versioned migrations creating and changing the tables of this projection, by name; they run
   * in name order (`0001-tables`, `0002-…`) and are recorded as `<projection name>/<migration name>`.
   */
  readonly migrations: Readonly<Record<string, Migration>>;
}

/** The checkpoint of a projection that has applied nothing yet (positions are never negative). */
export const NO_POSITION: GlobalPosition = -1;

/** Erases the row type so read models of different rows fit one list; their logic stays typed. */
export function readModel<Row extends ReadModelRow>(definition: ReadModel<Row>): ReadModel {
  return definition as unknown as ReadModel;
}
