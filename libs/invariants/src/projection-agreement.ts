import type { EventStore, RecordedEvent } from '@salur/event-store';
import { LEDGER_PROJECTIONS } from '@salur/ledger';
import { projectInMemory, type InMemoryTables, type Projection, type ReadModelDatabase } from '@salur/projections';
import type { Violation } from './domain/violation';

/** Events folded in memory per step: bounds the batch, not the rows (which a comparison needs). */
const FOLD_CHUNK = 5_000;
/** Differences listed per table; past that, a count. */
const MAX_LISTED_DIFFERENCES = 20;

type Row = Record<string, unknown>;

/**
 * Each projection's tables against a fresh fold of the log up to its checkpoint, with the same
 * pure evolve functions: a row that was edited, lost or invented in the database shows up.
 */
export async function checkProjectionsAgree(
  store: EventStore,
  db: ReadModelDatabase,
  projections: readonly Projection[] = LEDGER_PROJECTIONS,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const projection of projections) {
    const checkpoint = await checkpointOf(db, projection.name);
    const expected = await foldUpTo(store, projection, checkpoint);
    for (const { table } of projection.readModels) {
      const stored = await db.withTables<Record<string, Row>>().selectFrom(table).selectAll().execute();
      violations.push(...compareTable(projection.name, table, expected.get(table), stored));
    }
  }
  return violations;
}

async function checkpointOf(db: ReadModelDatabase, name: string): Promise<number> {
  const row = await db
    .selectFrom('projectionCheckpoints')
    .select('position')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? Number(row.position) : 0;
}

async function foldUpTo(store: EventStore, projection: Projection, checkpoint: number): Promise<InMemoryTables> {
  const tables: InMemoryTables = new Map();
  let chunk: RecordedEvent[] = [];
  for await (const event of store.readAll()) {
    if (event.position > checkpoint) break;
    chunk.push(event);
    if (chunk.length === FOLD_CHUNK) {
      projectInMemory(projection, chunk, tables);
      chunk = [];
    }
  }
  projectInMemory(projection, chunk, tables);
  return tables;
}

function compareTable(
  projection: string,
  table: string,
  expected: ReadonlyMap<string, { row: Row; lastPosition: number }> | undefined,
  stored: readonly Row[],
): Violation[] {
  const differences: string[] = [];
  const seen = new Set<string>();
  for (const row of stored) {
    const id = String(row.id);
    seen.add(id);
    const fold = expected?.get(id);
    if (!fold) differences.push(`row ${id} is not in the fold of the log`);
    else if (canonical(row) !== canonical({ ...fold.row, lastPosition: fold.lastPosition })) {
      differences.push(`row ${id} differs from the fold of the log`);
    }
  }
  for (const id of expected?.keys() ?? []) if (!seen.has(id)) differences.push(`row ${id} is missing`);
  const listed = differences.slice(0, MAX_LISTED_DIFFERENCES).map((message) => ({
    invariant: 'projection-agrees' as const,
    message: `${projection}/${table}: ${message}`,
  }));
  if (differences.length > MAX_LISTED_DIFFERENCES) {
    listed.push({
      invariant: 'projection-agrees',
      message: `${projection}/${table}: ${differences.length - MAX_LISTED_DIFFERENCES} more differences`,
    });
  }
  return listed;
}

/** Both dialects' values as text (PostgreSQL returns BIGINT as a string), keys sorted. */
function canonical(row: Row): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((key) => [key, row[key] === null || row[key] === undefined ? null : String(row[key])]),
  );
}
