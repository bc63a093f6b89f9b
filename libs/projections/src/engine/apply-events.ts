import type { GlobalPosition, RecordedEvent } from '@salur/event-store';
import type { Projection, ReadModel, ReadModelRow } from './projection';

/** A row as stored: the read model's columns and the position of the last event applied to it. */
export interface StoredRow {
  readonly row: ReadModelRow;
  readonly lastPosition: GlobalPosition;
}

/** For one read model, which events touch which rows of one batch. */
export interface ReadModelPlan {
  readonly readModel: ReadModel;
  readonly touches: ReadonlyArray<{ readonly event: RecordedEvent; readonly rowIds: readonly string[] }>;
  /** Every row id the batch touches: what must be loaded before applying. */
  readonly rowIds: ReadonlySet<string>;
}

/** What a batch changes in one table. */
export interface TableWrites {
  readonly table: string;
  readonly upserts: readonly StoredRow[];
  readonly deletes: readonly string[];
}

/** Asks every read model which rows each event of the batch touches. Pure. */
export function planBatch(projection: Projection, events: readonly RecordedEvent[]): ReadModelPlan[] {
  return projection.readModels.map((readModel) => {
    const touches = [];
    const rowIds = new Set<string>();
    for (const event of events) {
      const ids = readModel.rowIdsOf(event);
      if (ids.length === 0) continue;
      touches.push({ event, rowIds: ids });
      for (const id of ids) rowIds.add(id);
    }
    return { readModel, touches, rowIds };
  });
}

/**
 * Folds the batch's events into the loaded rows and returns the rows that changed. Pure.
 * An event at or below a row's last applied position is skipped: replaying events a row has
 * already seen (a checkpoint rewound by hand, a rebuild that overlaps) changes nothing.
 * A deleted row keeps no position, so only the checkpoint protects it from an older replay.
 */
export function applyPlan(plan: ReadModelPlan, loaded: ReadonlyMap<string, StoredRow>): TableWrites {
  const working = new Map<string, StoredRow | undefined>(loaded);
  const changed = new Set<string>();
  for (const { event, rowIds } of plan.touches) {
    for (const id of rowIds) {
      const current = working.get(id);
      if (current !== undefined && current.lastPosition >= event.position) continue;
      const next = plan.readModel.evolve(current?.row, event, id);
      if (next === current?.row) continue;
      if (next !== undefined && next.id !== id) {
        throw new Error(`${plan.readModel.table}: evolve for row '${id}' returned row '${next.id}' (${event.type})`);
      }
      working.set(id, next === undefined ? undefined : { row: next, lastPosition: event.position });
      changed.add(id);
    }
  }
  const upserts: StoredRow[] = [];
  const deletes: string[] = [];
  for (const id of changed) {
    const stored = working.get(id);
    if (stored !== undefined) upserts.push(stored);
    else if (loaded.has(id)) deletes.push(id);
  }
  return { table: plan.readModel.table, upserts, deletes };
}
