import type { RecordedEvent } from '@salur/event-store';
import { foldBatch, StoredRow } from './apply-events';
import type { Projection } from './projection';

/** Tables by name, rows by id: what a projection's tables hold after some events. */
export type InMemoryTables = Map<string, Map<string, StoredRow>>;

/**
 * Applies events to in-memory tables with the engine's own pure fold, no database: for tests
 * of a projection's logic, as the reference a database run must match, and for point-in-time
 * reads. The tables are complete: a row they do not hold does not exist.
 */
export function projectInMemory(
  projection: Projection,
  events: readonly RecordedEvent[],
  tables: InMemoryTables = new Map(),
): InMemoryTables {
  const complete = new Set(projection.readModels.map((readModel) => readModel.table));
  const { writes } = foldBatch(projection, events, tables, complete);
  for (const { table, upserts, deletes } of writes) {
    const rows = tables.get(table) ?? new Map<string, StoredRow>();
    tables.set(table, rows);
    for (const stored of upserts) rows.set(stored.row.id, stored);
    for (const id of deletes) rows.delete(id);
  }
  for (const readModel of projection.readModels) {
    if (!tables.has(readModel.table)) tables.set(readModel.table, new Map());
  }
  return tables;
}
