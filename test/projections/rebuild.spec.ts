import Database from 'better-sqlite3';
import { sql } from 'kysely';
import {
  openReadModelDatabase,
  type Projection,
  rebuildProjection,
  type ReadModelDatabase,
  SHADOW_SUFFIX,
} from '@salur/projections';
import { Backend, BackendFactory, postgresBackend, sqliteBackend } from './support/backends';
import { exited, runTs } from './support/child-process';
import {
  appendAll,
  checkpointOf,
  dumpTables,
  expectedTables,
  readLog,
  startEngine,
  TableDump,
} from './support/engine-harness';
import { ledgerScenario } from './support/ledger-scenario';
import { auditTrailProjection } from '@salur/audit-log';
import { balancesProjection, roundProgressProjection } from '@salur/payments';
import { LEDGER_PROJECTIONS } from '@salur/ledger';

/** About 2,300 events: enough for the rebuild to take many batches of 100. */
const SCENARIO = ledgerScenario({
  programmes: 2,
  beneficiariesPerProgramme: 60,
  periods: ['2026-01', '2026-02', '2026-03'],
  batchSize: 10,
});
const SCENARIO_EVENTS = SCENARIO.reduce((sum, append) => sum + append.events.length, 0);
const LATER_DECEMBER = ledgerScenario({
  programmes: 1,
  beneficiariesPerProgramme: 5,
  periods: ['2026-12'],
  batchSize: 5,
});
const LATER_ROUND = ledgerScenario({
  programmes: 1,
  beneficiariesPerProgramme: 40,
  periods: ['2026-07'],
  batchSize: 8,
});
/** Small batches and an early swap, so a rebuild of this log has many transactions to look between. */
const SMALL_STEPS = { batchEvents: 100, swapWithinEvents: 50 };

async function dumpAll(
  db: ReadModelDatabase,
  projections: readonly Projection[] = LEDGER_PROJECTIONS,
): Promise<TableDump> {
  const dump: TableDump = {};
  for (const projection of projections) Object.assign(dump, await dumpTables(db, projection));
  return dump;
}

function expectedAll(
  log: Awaited<ReturnType<typeof readLog>>,
  projections: readonly Projection[] = LEDGER_PROJECTIONS,
) {
  const dump: TableDump = {};
  for (const projection of projections) Object.assign(dump, expectedTables(projection, log));
  return dump;
}

async function tableNames(db: ReadModelDatabase): Promise<string[]> {
  return (await db.introspection.getTables()).map((table) => table.name);
}

describe.each<[string, BackendFactory]>([
  ['SQLite', sqliteBackend],
  ['PostgreSQL', postgresBackend],
])('rebuilding projections on %s', (_name, createBackend) => {
  let backend: Backend;
  beforeEach(async () => (backend = await createBackend()));
  afterEach(async () => backend.dispose());

  it('rebuilds every projection into byte-identical tables, readers only ever seeing complete tables', async () => {
    const head = await appendAll(backend.store, SCENARIO);
    const service = await startEngine(backend.store, backend.readModel, LEDGER_PROJECTIONS, { untilPosition: head });
    const reader = openReadModelDatabase(backend.readModel);
    try {
      const before = await dumpAll(service.db);
      for (const projection of LEDGER_PROJECTIONS) {
        const counts = Object.fromEntries(projection.readModels.map(({ table }) => [table, before[table].length]));
        // Another connection counts the rows of every table of the projection while it is rebuilt.
        let rebuilding = true;
        const seen: Array<Record<string, number>> = [];
        const watching = (async () => {
          while (rebuilding) {
            const now: Record<string, number> = {};
            for (const { table } of projection.readModels) {
              const row = await sql<{ rows: number }>`select count(*) as rows from ${sql.table(table)}`.execute(reader);
              now[table] = Number(row.rows[0].rows);
            }
            seen.push(now);
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        const result = await rebuildProjection(service.db, backend.store, projection, SMALL_STEPS);
        rebuilding = false;
        await watching;
        expect(result).toMatchObject({ projection: projection.name, position: head, eventsApplied: SCENARIO_EVENTS });
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.filter((now) => JSON.stringify(now) !== JSON.stringify(counts))).toEqual([]);
      }
      const after = await dumpAll(service.db);
      expect(JSON.stringify(after)).toBe(JSON.stringify(before));
      expect((await tableNames(service.db)).filter((name) => name.endsWith(SHADOW_SUFFIX))).toEqual([]);
    } finally {
      await reader.destroy();
      await service.stop();
    }
  });

  it('takes in the events appended while it runs, never going back behind the live runner', async () => {
    const head = await appendAll(backend.store, SCENARIO);
    const service = await startEngine(backend.store, backend.readModel, LEDGER_PROJECTIONS, { untilPosition: head });
    try {
      let appending: Promise<number> | undefined;
      let appliedBeforeSwap: number | undefined;
      await rebuildProjection(service.db, backend.store, roundProgressProjection, {
        ...SMALL_STEPS,
        onProgress: async (progress) => {
          // Halfway through, the ledger moves on: the live runner applies it to the old tables meanwhile.
          if (appending === undefined && progress.position > head / 2)
            appending = appendAll(backend.store, LATER_ROUND);
          // Just before the swap, the live runner gets ahead of the shadow: the swap must catch up with it.
          if (progress.phase === 'swapping' && appliedBeforeSwap === undefined) {
            await appending;
            appliedBeforeSwap = await appendAll(backend.store, LATER_DECEMBER);
            await service.engine.waitFor(appliedBeforeSwap);
          }
        },
      });
      expect(appending).toBeDefined();
      // Right after the swap, without waiting for the live runner: nothing the live tables had is missing,
      // and the tables are the fold of the log up to the swapped checkpoint.
      const swappedAt = await checkpointOf(service.db, roundProgressProjection.name);
      expect(swappedAt).toBeGreaterThanOrEqual(appliedBeforeSwap as number);
      const logThen = (await readLog(backend.store)).filter((event) => event.position <= swappedAt);
      expect(await dumpTables(service.db, roundProgressProjection)).toEqual(
        expectedTables(roundProgressProjection, logThen),
      );
      await service.engine.waitFor(await (appending as Promise<number>));
      expect(await dumpAll(service.db)).toEqual(expectedAll(await readLog(backend.store)));
      // An event after the swap still reaches the rebuilt tables.
      const later = await appendAll(
        backend.store,
        ledgerScenario({ programmes: 1, beneficiariesPerProgramme: 2, periods: ['2026-08'], batchSize: 2 }),
      );
      await service.engine.waitFor(later);
      expect(await dumpTables(service.db, roundProgressProjection)).toEqual(
        expectedTables(roundProgressProjection, await readLog(backend.store)),
      );
    } finally {
      await service.stop();
    }
  });

  it('runs in another process beside the projecting service, which stays consistent', async () => {
    const head = await appendAll(backend.store, SCENARIO);
    const service = await startEngine(backend.store, backend.readModel, LEDGER_PROJECTIONS, { untilPosition: head });
    try {
      const child = exited(runTs('test/projections/support/rebuild-in-child.ts', ['balances'], backend.env));
      const laterHead = await appendAll(backend.store, LATER_ROUND);
      const { code, stdout, stderr } = await child;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^balances: rebuilt \d+ events to position \d+ in [\d.]+ s \(\d+ events\/s\)$/m);
      await service.engine.waitFor(laterHead);
      expect(await dumpAll(service.db)).toEqual(expectedAll(await readLog(backend.store)));
    } finally {
      await service.stop();
    }
  });
});

describe('a rebuild killed in the middle (SQLite)', () => {
  let backend: Backend;
  beforeAll(async () => (backend = await sqliteBackend()));
  afterAll(async () => backend.dispose());

  /** The position a rebuild in another process has committed to its shadow, read through a connection of our own. */
  function shadowCheckpoint(): number {
    const db = new Database(backend.readModel.sqlitePath, { fileMustExist: true, timeout: 1_000 });
    try {
      const row = db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'audit-trail:rebuild'").get() as
        { position: number } | undefined;
      return row?.position ?? -1;
    } finally {
      db.close();
    }
  }

  it('leaves the live tables untouched; the next rebuild refuses until forced, then completes', async () => {
    const big = ledgerScenario({
      programmes: 3,
      beneficiariesPerProgramme: 150,
      periods: ['2026-01', '2026-02', '2026-03'],
      batchSize: 50,
    });
    const head = await appendAll(backend.store, big);
    const service = await startEngine(backend.store, backend.readModel, [auditTrailProjection, balancesProjection], {
      untilPosition: head,
    });
    try {
      const before = await dumpAll(service.db, [auditTrailProjection]);
      const victim = runTs('test/projections/support/rebuild-in-child.ts', ['audit-trail'], backend.env);
      const victimExit = exited(victim);
      let killedAt = -1;
      // Kill it once its shadow holds a few batches: progress lines say how far it is.
      await new Promise<void>((resolve) => {
        victim.stdout?.on('data', () => {
          killedAt = shadowCheckpoint();
          if (killedAt >= 2_000) {
            victim.kill('SIGKILL');
            resolve();
          }
        });
        victim.on('exit', () => resolve());
      });
      expect(await victimExit).toMatchObject({ signal: 'SIGKILL' });
      expect(killedAt).toBeLessThan(head);

      expect(await dumpAll(service.db, [auditTrailProjection])).toEqual(before);
      expect((await tableNames(service.db)).some((name) => name.endsWith(SHADOW_SUFFIX))).toBe(true);
      // The killed rebuild's shadow stays its own for the lease; an hour here, so that however long
      // this child takes to start on a loaded machine, it meets a lease that has not run out.
      const refused = await exited(
        runTs('test/projections/support/rebuild-in-child.ts', ['audit-trail'], {
          ...backend.env,
          PROJECTION_REBUILD_LEASE_SECONDS: '3600',
        }),
      );
      expect(refused).toMatchObject({ code: 1 });
      expect(refused.stderr).toMatch(/A rebuild of 'audit-trail' is already running .* --force/);

      const forced = await exited(
        runTs('test/projections/support/rebuild-in-child.ts', ['audit-trail', '--force'], backend.env),
      );
      expect(forced).toMatchObject({ code: 0, stderr: '' });
      expect(await dumpAll(service.db, [auditTrailProjection])).toEqual(before);
      expect((await tableNames(service.db)).filter((name) => name.endsWith(SHADOW_SUFFIX))).toEqual([]);
      expect(before).toEqual(expectedAll(await readLog(backend.store), [auditTrailProjection]));
    } finally {
      await service.stop();
    }
  });
});
