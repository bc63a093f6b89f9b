import type { RecordedEvent } from '@salur/event-store';
import { foldBatch, type StoredRow } from '../engine/apply-events';
import type { InMemoryTables } from '../engine/project-in-memory';
import { MAX_FOLD_PASSES } from '../engine/apply-events';
import type { Projection } from '../engine/projection';

export type LoadRows = (ids: readonly string[]) => Promise<ReadonlyMap<string, StoredRow>>;

export interface StreamingFoldOptions {
  /** Events folded per step: what is held in memory besides the kept rows. */
  readonly batchSize: number;
  /**
   * Tables of facts written once and never changed (a payment's programme): their rows are read
   * from the current read model when an event needs them, not kept. What the current table says
   * of such a row is what it said at any earlier point after the row was written.
   */
  readonly factTables?: ReadonlyMap<string, LoadRows>;
  /** Rows worth keeping between steps (the scope of the question); all by default. */
  readonly keep?: (table: string, row: StoredRow) => boolean;
}

/**
 * Folds a stream of events with a projection's own pure read models, in memory, step by step:
 * the answer a point-in-time read needs, computed from the log rather than from the tables.
 * Memory holds one step of events, the kept rows, and the fact rows of one step.
 */
export async function foldStreamInMemory(
  projection: Projection,
  events: AsyncIterable<RecordedEvent>,
  options: StreamingFoldOptions,
): Promise<InMemoryTables> {
  const factTables = options.factTables ?? new Map<string, LoadRows>();
  const tables: InMemoryTables = new Map(
    projection.readModels
      .filter((readModel) => !factTables.has(readModel.table))
      .map((readModel) => [readModel.table, new Map<string, StoredRow>()]),
  );
  const complete = new Set(tables.keys());
  let batch: RecordedEvent[] = [];
  const step = async () => {
    const facts = new Map<string, Map<string, StoredRow | null>>();
    for (let pass = 1; ; pass++) {
      const { writes, missing } = foldBatch(projection, batch, new Map([...tables, ...facts]), complete);
      if (missing.size === 0) {
        for (const { table, upserts, deletes } of writes) {
          const rows = tables.get(table);
          if (rows === undefined) continue; // a fact table: the current read model already holds it
          for (const stored of upserts) {
            if (options.keep === undefined || options.keep(table, stored)) rows.set(stored.row.id, stored);
          }
          for (const id of deletes) rows.delete(id);
        }
        batch = [];
        return;
      }
      if (pass >= MAX_FOLD_PASSES) throw new Error(`'${projection.name}': rows still missing after ${pass} passes`);
      for (const [table, ids] of missing) {
        const load = factTables.get(table);
        if (load === undefined) throw new Error(`'${projection.name}': no rows for table '${table}'`);
        const loaded = await load([...ids]);
        const rows = facts.get(table) ?? new Map<string, StoredRow | null>();
        facts.set(table, rows);
        for (const id of ids) rows.set(id, loaded.get(id) ?? null);
      }
    }
  };
  for await (const event of events) {
    batch.push(event);
    if (batch.length >= options.batchSize) await step();
  }
  if (batch.length > 0) await step();
  return tables;
}
