import { SqliteEventStore } from '@salur/event-store';
import {
  migrateReadModels,
  openReadModelDatabase,
  ProjectionEngine,
  ProjectionWaitTimeoutError,
} from '@salur/projections';
import { LEDGER_PROJECTIONS } from '@salur/ledger';

/** waitFor is bounded at 5 s; a catch-up of the test's size needs far fewer rounds than this. */
const MAX_WAIT_ROUNDS = 24;

/**
 * A separate process projecting an SQLite event file into an SQLite read-model file (every
 * default projection) until it has applied the head of the log; prints the head position as
 * JSON. The test kills it mid-way.
 */
async function main(): Promise<void> {
  const [eventsPath, readModelPath] = process.argv.slice(2);
  const store = new SqliteEventStore({ path: eventsPath });
  const db = openReadModelDatabase({ dialect: 'sqlite', sqlitePath: readModelPath, postgresUrl: 'postgres://unused' });
  await migrateReadModels(db, LEDGER_PROJECTIONS);
  const head = (await store.headPosition()) ?? 0;
  const engine = new ProjectionEngine(db, store, LEDGER_PROJECTIONS);
  engine.start();
  for (let round = 1; ; round++) {
    try {
      await engine.waitFor(head);
      break;
    } catch (error) {
      if (!(error instanceof ProjectionWaitTimeoutError) || round >= MAX_WAIT_ROUNDS) throw error;
    }
  }
  await engine.stop();
  await db.destroy();
  await store.close();
  process.stdout.write(JSON.stringify({ head }));
}

void main();
