import type { Kysely } from 'kysely';
import type { GlobalPosition, RecordedEvent } from '@salur/event-store';
import { foldWithLoads } from './apply-events';
import { advanceCheckpoint } from './checkpoint-store';
import type { Projection } from './projection';
import type { EngineTables, ReadModelDatabase } from './read-model-database';
import { loadRows, writeRows } from './row-store';

/**
 * Applies one batch of events in one transaction: the checkpoint moves from `expected` to the
 * batch's last position together with every row the batch changes, or nothing happens at all.
 * A crash at any point therefore leaves rows and checkpoint consistent, and the next run starts
 * exactly after the last committed batch. Returns the new checkpoint.
 */
export async function applyBatch(
  db: ReadModelDatabase,
  projection: Projection,
  events: readonly RecordedEvent[],
  expected: GlobalPosition,
  checkpointName: string = projection.name,
): Promise<GlobalPosition> {
  if (events.length === 0) return expected;
  let next = expected;
  await db.transaction().execute(async (trx) => {
    next = await applyBatchIn(trx, projection, events, expected, checkpointName);
  });
  return next;
}

/** applyBatch's work inside a transaction the caller holds (the rebuild's swap finishes this way). */
export async function applyBatchIn(
  trx: Kysely<EngineTables>,
  projection: Projection,
  events: readonly RecordedEvent[],
  expected: GlobalPosition,
  checkpointName: string = projection.name,
): Promise<GlobalPosition> {
  if (events.length === 0) return expected;
  const next = events[events.length - 1].position;
  if (events[0].position <= expected) {
    throw new Error(`Batch of '${projection.name}' starts at ${events[0].position}, not after ${expected}`);
  }
  // First statement: the compare-and-set also takes the write lock before any row is read.
  await advanceCheckpoint(trx, checkpointName, expected, next);
  const writes = await foldWithLoads(projection, events, (table, ids) => loadRows(trx, table, ids));
  for (const tableWrites of writes) await writeRows(trx, tableWrites);
  return next;
}
