import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@salur/event-store';
// A real projection with a lookup table: the balances (payments capability).
import { balancesProjection } from '@salur/payments';
import { facts, recordedEvents } from '../testing';
import { applyBatch, RowCache } from './apply-batch';
import { CheckpointMovedError, readCheckpoint } from './checkpoint-store';
import { migrateReadModels } from './migrations';
import { projectInMemory } from './project-in-memory';
import { openReadModelDatabase, type ReadModelDatabase } from './read-model-database';

/** Eight beneficiaries, each paid twice, rejected, reissued and credited: rows touched across many batches. */
const history = recordedEvents(
  Array.from({ length: 8 }, (_, index) => `b-${index}`).flatMap((beneficiary, index) => {
    const [first, second] = [`pay-${index}-a`, `pay-${index}-b`];
    return [
      facts.scheduled(first, beneficiary),
      facts.scheduled(second, beneficiary, '2026-12'),
      facts.batched(first, 'batch-1'),
      facts.sent(first, 'batch-1'),
      facts.rejected(first, 'batch-1'),
      facts.reissued(first, 2),
      facts.batched(first, 'batch-2', 2),
      facts.batched(second, 'batch-2'),
      facts.credited(first, 'batch-2', '597500.00'),
      facts.credited(second, 'batch-2'),
    ];
  }),
);

/** The tables as rows with their positions, sorted, as the pure fold must give them. */
async function dump(db: ReadModelDatabase): Promise<Record<string, unknown[]>> {
  const tables = db.withTables<Record<string, Record<string, string | number | null>>>();
  const rows: Record<string, unknown[]> = {};
  for (const { table } of balancesProjection.readModels) {
    rows[table] = await tables.selectFrom(table).selectAll().orderBy('id').execute();
  }
  return rows;
}

function expected(events: readonly RecordedEvent[]): Record<string, unknown[]> {
  const tables = projectInMemory(balancesProjection, events);
  return Object.fromEntries(
    balancesProjection.readModels.map(({ table }) => [
      table,
      [...(tables.get(table)?.values() ?? [])]
        .map(({ row, lastPosition }) => ({ ...row, lastPosition }))
        .sort((left, right) => (left.id < right.id ? -1 : 1)),
    ]),
  );
}

describe('applyBatch with a RowCache', () => {
  let directory: string;
  let db: ReadModelDatabase;
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'salur-row-cache-'));
    db = openReadModelDatabase({ dialect: 'sqlite', sqlitePath: join(directory, 'read.db'), postgresUrl: 'unused' });
    await migrateReadModels(db, [balancesProjection]);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  async function applyInBatches(cache: RowCache, size: number): Promise<number> {
    let position = await readCheckpoint(db, balancesProjection.name);
    for (let start = 0; start < history.length; start += size) {
      position = await applyBatch(
        db,
        balancesProjection,
        history.slice(start, start + size),
        position,
        undefined,
        cache,
      );
    }
    return position;
  }

  it.each([
    ['holding every row', 1_000],
    ['dropping rows past a bound of 6 (misses are read from the table again)', 6],
  ])('writes the tables the pure fold predicts, %s', async (_, maxRows) => {
    const cache = new RowCache(balancesProjection, true, maxRows);
    expect(await applyInBatches(cache, 7)).toBe(history.length);
    expect(await dump(db)).toEqual(expected(history));
    expect(cache.size).toBeLessThanOrEqual(maxRows);
    // Bounded: evicting made the tables incomplete; unbounded, they stay complete.
    expect(cache.completeTables.size).toBe(maxRows >= 1_000 ? 2 : 0);
  });

  it('learns nothing from a batch that did not commit', async () => {
    const cache = new RowCache(balancesProjection, true);
    const position = await applyInBatches(cache, 40);
    const before = new Map([...cache.known].map(([table, rows]) => [table, new Map(rows)]));
    const later = recordedEvents([facts.reversed('pay-0-a')], history.length + 1);
    // Another writer moved the checkpoint: the batch aborts, and the cache must not hold its rows.
    await expect(applyBatch(db, balancesProjection, later, position - 1, undefined, cache)).rejects.toThrow(
      CheckpointMovedError,
    );
    expect(cache.known).toEqual(before);
    await applyBatch(db, balancesProjection, later, position, undefined, cache);
    expect(await dump(db)).toEqual(expected([...history, ...later]));
    expect(cache.known.get('balancesPayments')?.get('pay-0-a')?.row).toMatchObject({ status: 'reversed' });
  });
});
