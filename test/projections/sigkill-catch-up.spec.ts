import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { amountOf, formatAmount } from '@salur/kernel';
import { SqliteEventStore } from '@salur/event-store';
import { openReadModelDatabase } from '@salur/projections';
import { appendAll, dumpTables, startEngine, TableDump } from './support/engine-harness';
import { eventCount, LedgerEvent, ledgerScenario, ScenarioAppend } from './support/ledger-scenario';
import { LEDGER_PROJECTIONS } from '@salur/ledger';
import { type ReadModelConfig } from '@salur/database';

const CHURN_APPENDS_PER_PROGRAMME = 9;
const CHURN_EVENTS_PER_APPEND = 1_000;
const BENEFICIARIES = 100;
const PERIODS = ['2026-01', '2026-02'];
/** How often the test looks at the child's committed checkpoint, and how long it lets the child live at most. */
const KILL_POLL_MS = 5;
/**
 * A bound against a child that never gets there, not a speed test: under a loaded machine (stress-ng on
 * both cores plus the suite) starting ts-node and migrating took over 20 s.
 */
const CHILD_DEADLINE_MS = 300_000;

/**
 * Budget churn: long runs of reservations and releases on each programme's stream, a thousand
 * events per append (so 20,000 events are written in seconds). Totals are sums: an event
 * applied twice or skipped changes them.
 */
function budgetChurn(programmeIds: readonly string[]): ScenarioAppend[] {
  return programmeIds.flatMap((programmeId) =>
    Array.from({ length: CHURN_APPENDS_PER_PROGRAMME }, (_, append) => ({
      streamName: `programme-${programmeId}`,
      events: Array.from({ length: CHURN_EVENTS_PER_APPEND }, (_, index): LedgerEvent => {
        const n = append * CHURN_EVENTS_PER_APPEND + index;
        const reservationId = `churn-${programmeId}-${Math.floor(n / 2)}`;
        const common = {
          programmeId,
          reservationId,
          batchId: `churn-batch-${n}`,
          amount: `${1 + (n % 97)}.${String(n % 100).padStart(2, '0')}`,
          remainingBudget: '0.00',
          at: `2026-06-01T00:00:00.000Z`,
        };
        return n % 2 === 0
          ? { type: 'BudgetReserved', data: { ...common, reservedBy: 'finance-officer-2' } }
          : {
              type: 'BudgetReleased',
              data: {
                ...common,
                releaseId: `release-${n}`,
                reason: 'batch cancelled',
                releasedBy: 'finance-officer-2',
              },
            };
      }),
    })),
  );
}

function projectInChild(eventsPath: string, readModelPath: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(__dirname, 'support', 'project-until-head.ts'),
      eventsPath,
      readModelPath,
    ],
    { cwd: join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** The checkpoint another process has committed, read through a connection of our own. */
function committedCheckpoint(readModelPath: string, projection = 'programmes'): number {
  try {
    const db = new Database(readModelPath, { fileMustExist: true, timeout: 1_000 });
    try {
      const row = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').get(projection) as
        { position: number } | undefined;
      return row?.position ?? -1;
    } finally {
      db.close();
    }
  } catch {
    return -1; // not created or not migrated yet
  }
}

/** Every table of every projection, by projection. */
async function dumpOf(config: ReadModelConfig): Promise<Record<string, TableDump>> {
  const db = openReadModelDatabase(config);
  try {
    const dumps: Record<string, TableDump> = {};
    for (const projection of LEDGER_PROJECTIONS) dumps[projection.name] = await dumpTables(db, projection);
    return dumps;
  } finally {
    await db.destroy();
  }
}

describe('a process projecting every read model killed with SIGKILL during a 20,000-event catch-up', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-projection-kill-'));
  const eventsPath = join(directory, 'events.db');
  const sqlite = (file: string): ReadModelConfig => ({
    dialect: 'sqlite',
    sqlitePath: join(directory, file),
    postgresUrl: 'postgres://unused',
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('restarts into exactly the tables of an uninterrupted run', async () => {
    const scenario = ledgerScenario({
      programmes: 2,
      beneficiariesPerProgramme: BENEFICIARIES,
      periods: PERIODS,
      batchSize: 25,
    });
    const appends = [...scenario, ...budgetChurn(['programme-1', 'programme-2'])];
    expect(eventCount(appends)).toBeGreaterThanOrEqual(20_000);
    const store = new SqliteEventStore({ path: eventsPath });
    const head = await appendAll(store, appends);

    const uninterrupted = await startEngine(store, sqlite('uninterrupted.db'), LEDGER_PROJECTIONS, {
      untilPosition: head,
    });
    await uninterrupted.stop();
    await store.close();
    const expected = await dumpOf(sqlite('uninterrupted.db'));

    const killedPath = join(directory, 'killed.db');
    const victim = projectInChild(eventsPath, killedPath);
    let victimRunning = true;
    const victimExit = exited(victim).finally(() => (victimRunning = false));
    const killAt = Math.floor(head / 3);
    const deadline = Date.now() + CHILD_DEADLINE_MS;
    while (victimRunning && committedCheckpoint(killedPath) < killAt && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, KILL_POLL_MS));
    }
    const reached = committedCheckpoint(killedPath);
    victim.kill('SIGKILL');
    if (victimRunning && reached < killAt) {
      throw new Error(`The child reached checkpoint ${reached} of ${killAt} in ${CHILD_DEADLINE_MS} ms`);
    }
    // A child that died by itself shows its stderr here.
    expect(await victimExit).toMatchObject({ signal: 'SIGKILL' });
    const checkpointAtKill = committedCheckpoint(killedPath);
    expect(checkpointAtKill).toBeGreaterThanOrEqual(killAt);
    expect(checkpointAtKill).toBeLessThan(head);

    // In every projection, nothing beyond its checkpoint reached a row.
    const atKill = await dumpOf(sqlite('killed.db'));
    for (const [projection, tables] of Object.entries(atKill)) {
      const positions = Object.values(tables).flatMap((rows) => rows.map((row) => Number(row.lastPosition)));
      expect(Math.max(-1, ...positions)).toBeLessThanOrEqual(committedCheckpoint(killedPath, projection));
    }

    const restart = projectInChild(eventsPath, killedPath);
    let stdout = '';
    restart.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const restartExit = await exited(restart);
    expect(restartExit).toMatchObject({ code: 0, signal: null });
    expect(JSON.parse(stdout)).toEqual({ head });

    const afterRestart = await dumpOf(sqlite('killed.db'));
    expect(afterRestart).toEqual(expected);
    expect(afterRestart.programmes.programmes).toHaveLength(2);
    // The churn's sums, computed here independently in decimal: each event counted exactly once.
    const churn = budgetChurn(['programme-1']).flatMap((append) => append.events);
    const sum = (type: string) =>
      formatAmount(
        churn
          .filter((event) => event.type === type)
          .reduce((total, event) => total.plus(amountOf((event.data as { amount: string }).amount)), amountOf('0')),
      );
    const reservedByRounds = amountOf('600000.00').times(BENEFICIARIES * PERIODS.length);
    const budget = {
      id: 'programme-1',
      reserved: formatAmount(amountOf(sum('BudgetReserved')).plus(reservedByRounds)),
      released: sum('BudgetReleased'),
    };
    expect(afterRestart.programmes.programmes[0]).toMatchObject(budget);
    expect(afterRestart.budget.budgetProgrammes[0]).toMatchObject(budget);
    expect(afterRestart['audit-trail'].auditTrailEvents).toHaveLength(eventCount(appends));
  }, 900_000);
});
