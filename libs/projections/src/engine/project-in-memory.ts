import type { RecordedEvent } from '@salur/event-store';
import { applyPlan, planBatch, StoredRow } from './apply-events';
import type { Projection } from './projection';

/** Tables by name, rows by id: what a projection's tables hold after some events. */
export type InMemoryTables = Map<string, Map<string, StoredRow>>;

/**
 * Applies events to in-memory tables with the engine's own pure steps, no database: for tests
 * of a projection's logic, and as the reference a database run must match.
 */
export function projectInMemory(
  projection: Projection,
  events: readonly RecordedEvent[],
  tables: InMemoryTables = new Map(),
): InMemoryTables {
  for (const plan of planBatch(projection, events)) {
    const table = tables.get(plan.readModel.table) ?? new Map<string, StoredRow>();
    tables.set(plan.readModel.table, table);
    const writes = applyPlan(plan, table);
    for (const stored of writes.upserts) table.set(stored.row.id, stored);
    for (const id of writes.deletes) table.delete(id);
  }
  return tables;
}
