import type { Kysely } from 'kysely';
import type { GlobalPosition } from '@salur/event-store';
import { NO_POSITION } from './projection';
import type { EngineTables, ReadModelDatabase } from './read-model-database';

/** The checkpoint moved under this runner: another runner applied the batch, or a rebuild reset it. */
export class CheckpointMovedError extends Error {
  constructor(projection: string, expected: GlobalPosition) {
    super(`Checkpoint of projection '${projection}' is no longer at ${expected}: another runner moved it`);
    this.name = 'CheckpointMovedError';
  }
}

/** The projection's checkpoint, creating it at NO_POSITION the first time. */
export async function readCheckpoint(db: ReadModelDatabase, projection: string): Promise<GlobalPosition> {
  await db
    .insertInto('projectionCheckpoints')
    .values({ name: projection, position: NO_POSITION, updatedAt: new Date().toISOString() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('projectionCheckpoints')
    .select('position')
    .where('name', '=', projection)
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

/**
 * Moves the checkpoint from `expected` to `next`, inside the batch's transaction, as its first
 * statement. It is a compare-and-set: if another runner moved the checkpoint meanwhile, nothing is
 * written and the batch aborts. Being a write, it also takes the write lock up front (SQLite's
 * RESERVED lock, PostgreSQL's row lock), so the rows read afterwards cannot change under the batch.
 */
export async function advanceCheckpoint(
  trx: Kysely<EngineTables>,
  projection: string,
  expected: GlobalPosition,
  next: GlobalPosition,
): Promise<void> {
  const result = await trx
    .updateTable('projectionCheckpoints')
    .set({ position: next, updatedAt: new Date().toISOString() })
    .where('name', '=', projection)
    .where('position', '=', expected)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new CheckpointMovedError(projection, expected);
}
