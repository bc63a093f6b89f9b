import type { Kysely } from 'kysely';
import type { StoredRow, TableWrites } from './apply-events';
import type { ColumnValue, ReadModelRow } from './projection';
import type { EngineTables } from './read-model-database';

/**
 * Statement sizes: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters for any
 * read model of up to 100 columns, and small enough that one statement stays quick.
 */
export const MAX_IDS_PER_SELECT = 500;
export const MAX_ROWS_PER_UPSERT = 250;

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

/** Writes a batch's changes to one table: upserts in slices of MAX_ROWS_PER_UPSERT, then deletes. */
export async function writeRows(db: Kysely<EngineTables>, writes: TableWrites): Promise<void> {
  const tables = asReadModelTables(db);
  for (let start = 0; start < writes.upserts.length; start += MAX_ROWS_PER_UPSERT) {
    const values = writes.upserts
      .slice(start, start + MAX_ROWS_PER_UPSERT)
      .map(({ row, lastPosition }): StoredColumns => ({ ...row, lastPosition }));
    // A read model's rows all have the same columns (its row type lists every one, nulls included),
    // so the first row names the columns to overwrite; a missing one would keep its old value.
    const updatable = Object.keys(values[0]).filter((column) => column !== 'id');
    await tables
      .insertInto(writes.table)
      .values(values)
      .onConflict((conflict) =>
        conflict
          .column('id')
          .doUpdateSet((update) =>
            Object.fromEntries(updatable.map((column) => [column, update.ref(`excluded.${column}`)])),
          ),
      )
      .execute();
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

/** Empties a read model's table, for a rebuild. */
export async function deleteAllRows(db: Kysely<EngineTables>, table: string): Promise<void> {
  await asReadModelTables(db).deleteFrom(table).execute();
}
