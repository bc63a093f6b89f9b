import type { Kysely } from 'kysely';
import type { StoredRow, TableWrites } from './apply-events';
import type { ColumnValue, ReadModelRow } from './projection';
import type { EngineTables } from './read-model-database';

/**
 * Statement sizes: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters, and
 * small enough that one statement stays quick. An upsert takes as many rows as fit in
 * MAX_PARAMETERS_PER_UPSERT values, at most MAX_ROWS_PER_UPSERT.
 */
export const MAX_IDS_PER_SELECT = 500;
export const MAX_ROWS_PER_UPSERT = 1_000;
export const MAX_PARAMETERS_PER_UPSERT = 10_000;

/** Any read-model table, seen by the engine: it only knows `id` and `lastPosition`. */
type StoredColumns = { id: string; lastPosition: number } & { [column: string]: ColumnValue };
type AnyReadModelTables = Record<string, StoredColumns>;

/** Loads the rows with the given ids, in slices of MAX_IDS_PER_SELECT. */
export async function loadRows(
  db: Kysely<EngineTables>,
  table: string,
  ids: readonly string[],
): Promise<Map<string, StoredRow>> {
  const tables = asReadModelTables(db);
  const loaded = new Map<string, StoredRow>();
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_SELECT) {
    const slice = ids.slice(start, start + MAX_IDS_PER_SELECT);
    const rows = await tables.selectFrom(table).selectAll().where('id', 'in', slice).execute();
    for (const { lastPosition, ...row } of rows) {
      loaded.set(row.id as string, { row: row as ReadModelRow, lastPosition: Number(lastPosition) });
    }
  }
  return loaded;
}

/** Writes a batch's changes to one table: upserts (or inserts, append-only) in slices, then deletes. */
export async function writeRows(db: Kysely<EngineTables>, writes: TableWrites): Promise<void> {
  const tables = asReadModelTables(db);
  if (writes.upserts.length > 0) {
    const columns = Object.keys(writes.upserts[0].row).length + 1;
    const rowsPerStatement = Math.max(
      1,
      Math.min(MAX_ROWS_PER_UPSERT, Math.floor(MAX_PARAMETERS_PER_UPSERT / columns)),
    );
    for (let start = 0; start < writes.upserts.length; start += rowsPerStatement) {
      const values = writes.upserts
        .slice(start, start + rowsPerStatement)
        .map(({ row, lastPosition }): StoredColumns => ({ ...row, lastPosition }));
      // A read model's rows all have the same columns (its row type lists every one, nulls included),
      // so the first row names the columns to overwrite; a missing one would keep its old value.
      const updatable = Object.keys(values[0]).filter((column) => column !== 'id');
      await tables
        .insertInto(writes.table)
        .values(values)
        .onConflict((conflict) =>
          writes.insertOnly
            ? conflict.column('id').doNothing()
            : conflict
                .column('id')
                .doUpdateSet((update) =>
                  Object.fromEntries(updatable.map((column) => [column, update.ref(`excluded.${column}`)])),
                ),
        )
        .execute();
    }
  }
  for (let start = 0; start < writes.deletes.length; start += MAX_IDS_PER_SELECT) {
    const slice = writes.deletes.slice(start, start + MAX_IDS_PER_SELECT);
    await tables.deleteFrom(writes.table).where('id', 'in', slice).execute();
  }
}

/** Projections register their tables at run time, so the engine addresses them by name. */
function asReadModelTables(db: Kysely<EngineTables>): Kysely<AnyReadModelTables> {
  return db as unknown as Kysely<AnyReadModelTables>;
}
