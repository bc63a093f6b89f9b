import type { Kysely } from 'kysely';
import type { GlobalPosition, RecordedEvent } from '@salur/event-store';
import { foldWithLoads, type StoredRow, type TableWrites } from './apply-events';
import { advanceCheckpoint } from './checkpoint-store';
import type { Projection } from './projection';
import type { EngineTables, ReadModelDatabase } from './read-model-database';
import { loadRows, writeRows } from './row-store';

/**
 * Applies one batch of events in one transaction: the checkpoint moves from `expected` to the
 * batch's last position together with every row the batch changes, or nothing happens at all.
 * A crash at any point therefore leaves rows and checkpoint consistent, and the next run starts
 * exactly after the last committed batch. Returns the new checkpoint.
 *
 * With a RowCache, the rows the cache holds are not read from the database; the cache learns the
 * batch's rows once the transaction has committed, never before.
 */
export async function applyBatch(
  db: ReadModelDatabase,
  projection: Projection,
  events: readonly RecordedEvent[],
  expected: GlobalPosition,
  checkpointName: string = projection.name,
  cache?: RowCache,
): Promise<GlobalPosition> {
  if (events.length === 0) return expected;
  let applied: Applied = { next: expected, writes: [] };
  await db.transaction().execute(async (trx) => {
    applied = await applyWithin(trx, projection, events, expected, checkpointName, cache);
  });
  cache?.learn(applied.writes);
  return applied.next;
}

/** applyBatch's work inside a transaction the caller holds (the rebuild's swap finishes this way). */
export async function applyBatchIn(
  trx: Kysely<EngineTables>,
  projection: Projection,
  events: readonly RecordedEvent[],
  expected: GlobalPosition,
  checkpointName: string = projection.name,
): Promise<GlobalPosition> {
  return (await applyWithin(trx, projection, events, expected, checkpointName)).next;
}

interface Applied {
  readonly next: GlobalPosition;
  readonly writes: readonly TableWrites[];
}

async function applyWithin(
  trx: Kysely<EngineTables>,
  projection: Projection,
  events: readonly RecordedEvent[],
  expected: GlobalPosition,
  checkpointName: string,
  cache?: RowCache,
): Promise<Applied> {
  if (events.length === 0) return { next: expected, writes: [] };
  const next = events[events.length - 1].position;
  if (events[0].position <= expected) {
    throw new Error(`Batch of '${projection.name}' starts at ${events[0].position}, not after ${expected}`);
  }
  // First statement: the compare-and-set also takes the write lock before any row is read. It also
  // proves the cache right: nobody else committed to these tables since the cache's last batch.
  await advanceCheckpoint(trx, checkpointName, expected, next);
  const load = (table: string, ids: readonly string[]) => loadRows(trx, table, ids);
  const writes = await foldWithLoads(projection, events, load, cache);
  for (const tableWrites of writes) await writeRows(trx, tableWrites);
  return { next, writes };
}

/** Rows a RowCache holds at most, over all the tables of its projection (~100-200 MB of rows). */
export const MAX_CACHED_ROWS = 400_000;

/**
 * The rows of one projection's tables as the last committed batch left them, kept between the
 * batches of one writer (a rebuild filling its shadow), so a batch reads no row from the database
 * that an earlier batch wrote or read, and folds in one pass instead of one per lookup link.
 *
 * It is only right while nobody else writes these tables: every batch's checkpoint compare-and-set
 * checks exactly that (a writer that took over moved the checkpoint), and a failed batch teaches
 * the cache nothing. A table that started empty is complete: a row the cache does not hold does not
 * exist, so not even absent rows are looked for. Over MAX_CACHED_ROWS, the rows first cached longest
 * ago are dropped and their table is no longer complete: misses are loaded again, as without a cache.
 * Append-only tables are never read (see ReadModel.appendOnly), so never cached.
 */
export class RowCache {
  readonly known = new Map<string, Map<string, StoredRow | null>>();
  readonly completeTables = new Set<string>();
  private readonly cachedTables: readonly string[];

  /** `startsEmpty`: the projection's tables hold no row yet (a fresh shadow). */
  constructor(
    projection: Projection,
    startsEmpty: boolean,
    private readonly maxRows = MAX_CACHED_ROWS,
  ) {
    this.cachedTables = projection.readModels.filter((model) => !model.appendOnly).map((model) => model.table);
    for (const table of this.cachedTables) {
      this.known.set(table, new Map());
      if (startsEmpty) this.completeTables.add(table);
    }
  }

  /** Takes in a committed batch's writes. */
  learn(writes: readonly TableWrites[]): void {
    for (const { table, upserts, deletes } of writes) {
      const rows = this.known.get(table);
      if (rows === undefined) continue;
      const complete = this.completeTables.has(table);
      for (const stored of upserts) rows.set(stored.row.id, stored);
      for (const id of deletes) {
        rows.delete(id);
        if (!complete) rows.set(id, null);
      }
    }
    this.evictOverBound();
  }

  get size(): number {
    let rows = 0;
    for (const table of this.cachedTables) rows += this.known.get(table)?.size ?? 0;
    return rows;
  }

  /** Drops the oldest rows, table by table, down to three quarters of the bound. */
  private evictOverBound(): void {
    let excess = this.size - this.maxRows;
    if (excess <= 0) return;
    excess += Math.floor(this.maxRows / 4);
    for (const table of this.cachedTables) {
      const rows = this.known.get(table) as Map<string, StoredRow | null>;
      const share = Math.min(rows.size, excess);
      if (share === 0) continue;
      this.completeTables.delete(table);
      let dropped = 0;
      for (const id of rows.keys()) {
        if (dropped++ >= share) break;
        rows.delete(id);
      }
      excess -= share;
      if (excess <= 0) return;
    }
  }
}
