import type { GlobalPosition, RecordedEvent } from '@salur/event-store';
import { applyPlan, planBatch } from './apply-events';
import { advanceCheckpoint } from './checkpoint-store';
import type { Projection } from './projection';
import type { ReadModelDatabase } from './read-model-database';
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
): Promise<GlobalPosition> {
  if (events.length === 0) return expected;
  const next = events[events.length - 1].position;
  if (events[0].position <= expected) {
    throw new Error(`Batch of '${projection.name}' starts at ${events[0].position}, not after ${expected}`);
  }
  const plans = planBatch(projection, events);
  await db.transaction().execute(async (trx) => {
    await advanceCheckpoint(trx, projection.name, expected, next);
    for (const plan of plans) {
      if (plan.rowIds.size === 0) continue;
      const loaded = await loadRows(trx, plan.readModel.table, [...plan.rowIds]);
      await writeRows(trx, applyPlan(plan, loaded));
    }
  });
  return next;
}
