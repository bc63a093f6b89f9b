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

/**
 * What a read model may read besides its own row: the rows of the read models listed before it
 * in the same projection, around the event being applied. An event's facts are often not all in
 * the event (a PaymentCredited names the payment, not its beneficiary): a projection keeps the
 * facts it needs in a lookup table of its own, listed first, and later read models read them
 * here. Both tables move in the same transaction and checkpoint, so they always agree.
 *
 * Reads stay pure: the engine loads every row a batch needs before folding it (see foldBatch).
 */
export interface Lookup {
  /** The row of an earlier read model as it is after the current event. */
  row<Row extends ReadModelRow = ReadModelRow>(table: string, id: string): Row | undefined;
  /** The same row just before the current event; the same as `row` when the event left it alone. */
  before<Row extends ReadModelRow = ReadModelRow>(table: string, id: string): Row | undefined;
}

export interface ReadModel<Row extends ReadModelRow = ReadModelRow> {
  /**
   * The table this read model owns, camelCase in code and snake_case in SQL. Besides the row's
   * columns it has `lastPosition` (BIGINT): the global position of the last event applied to the
   * row, which makes a replay of an already applied event a no-op.
   */
  readonly table: string;
  /**
   * The tables of earlier read models this one reads through its Lookup (none by default). The
   * engine refuses a look-up of any other, and skips folding rows nobody looks up in a pass that
   * only finds which rows to load.
   */
  readonly lookups?: readonly string[];
  /**
   * Each row is written once, by the one event that creates it, and never changed or deleted
   * (one row per event of the log). The engine then neither loads its rows nor updates them: it
   * inserts, and a replayed event's insert finds its row and leaves it as it is.
   */
  readonly appendOnly?: boolean;
  /** Ids of the rows the event touches; empty when the event means nothing to this read model. */
  rowIdsOf(event: RecordedEvent, lookup: Lookup): readonly string[];
  /**
   * The row after the event, given the row before it (undefined: there is none). Returning the
   * same object means "unchanged"; returning undefined deletes the row (or leaves it absent).
   */
  evolve(row: Row | undefined, event: RecordedEvent, id: string, lookup: Lookup): Row | undefined;
}

export interface Projection {
  /** Stable forever: it keys the checkpoint and prefixes the migration names. */
  readonly name: string;
  /**
   * Its tables, in the order each event is applied to them: a read model may look up the rows
   * of those before it (see Lookup), never of those after.
   */
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
