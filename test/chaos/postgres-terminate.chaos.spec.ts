import { PostgresEventStore, PostgresEventStoreOptions, RecordedEvent } from '@salur/event-store';
import { checkLedger } from '@salur/invariants';
import { DEFAULT_RUNNER_SETTINGS, ProjectionEngine } from '@salur/projections';
import { createFreshDatabase, FreshDatabase, POSTGRES_SERVER_URL } from '../support/postgres';
import { appendAll, dumpTables, expectedTables, openMigrated, readLog } from '../projections/support/engine-harness';
import { eventCount, ledgerScenario, ScenarioAppend } from '../projections/support/ledger-scenario';
import { startBackendKiller } from './support/postgres-backend-killer';
import { createProgramme, issue, IssuedCommand, keyOf, Outcome, runWriters } from './support/postgres-ledger-writers';
import {
  collectLive,
  LiveCollector,
  withApplicationName,
  withoutSynchronousCommit,
} from './support/postgres-subscriptions';
import { LEDGER_PROJECTIONS } from '@salur/ledger';
import { ReadModelConfig } from '@salur/database';

const WRITERS = 8;
const SHARED_PROGRAMMES = ['SHARED-A', 'SHARED-B', 'SHARED-C'];
/** Enough kills to land in every phase of an append many times over. */
const APPEND_TERMINATIONS = 300;
const MAX_COMMANDS_PER_WRITER = 20_000;
const KILL_PAUSE_MS = 80;
/** After the kills stop, every command must succeed within this: a leaked or dead pool would hang. */
const RECOVERY_DEADLINE_MS = 30_000;
const CATCH_UP_DEADLINE_MS = 300_000;
/** A projection run long enough (tens of thousands of events, small batches) for many kills to land in it. */
const PROJECTION_SCENARIO = {
  programmes: 2,
  beneficiariesPerProgramme: 1_500,
  periods: ['2026-01', '2026-02', '2026-03'],
  batchSize: 250,
};
/**
 * About seven kills a second. Far more (one every 30 ms) starves a runner whose batches take
 * longer than the gap between kills: its backoff then grows towards the 30 s maximum, as designed.
 */
const PROJECTION_KILL_PAUSE_MS = 150;
const MIN_PROJECTION_TERMINATIONS = 50;

/** Polls until `done` says so; the poll stops once the deadline passed, so nothing runs on after the test. */
async function pollUntil(done: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadlineMs = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadlineMs) throw new Error(`${what} did not finish within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Revisions 0, 1, 2, … per stream and positions strictly increasing along the log. */
function expectWellFormedLog(log: readonly RecordedEvent[]): void {
  const nextRevision = new Map<string, number>();
  let lastPosition = 0;
  for (const event of log) {
    expect(event.revision).toBe(nextRevision.get(event.streamName) ?? 0);
    nextRevision.set(event.streamName, event.revision + 1);
    expect(event.position).toBeGreaterThan(lastPosition);
    lastPosition = event.position;
  }
}

function outcomesOf(issued: readonly IssuedCommand[], kind: Outcome['kind']): IssuedCommand[] {
  return issued.filter((command) => command.outcome?.kind === kind);
}

interface AppendVariant {
  readonly name: string;
  readonly reconnect: PostgresEventStoreOptions['reconnect'];
  /** Whether a live subscription follows the log through the kills (it needs the reads' retries). */
  readonly followsLive: boolean;
}

const APPEND_VARIANTS: readonly AppendVariant[] = [
  { name: 'the adapter retrying lost connections (the default)', reconnect: undefined, followsLive: true },
  // Every lost connection reaches the caller, so failures after a commit happen and are checked.
  { name: 'no retry in the adapter', reconnect: { attempts: 1, firstDelayMs: 0 }, followsLive: false },
];

describe('PostgreSQL backends terminated during appends and projection catch-up (issue 8)', () => {
  let database: FreshDatabase;

  beforeEach(async () => {
    database = await createFreshDatabase('chaos_terminate');
  });

  afterEach(async () => {
    await database.drop();
  });

  it.each(APPEND_VARIANTS)(
    'appends, $name: every acknowledged event is in the log once, a failed one at most once, and the adapter recovers by itself',
    async (variant) => {
      const startedMs = Date.now();
      const applicationName = `salur-chaos-appends-${process.pid}`;
      // A long poll: the live subscription below can only keep up through LISTEN/NOTIFY or its own appends.
      const store = await PostgresEventStore.connect({
        connectionString: database.url,
        applicationName,
        pollIntervalMs: 60_000,
        reconnect: variant.reconnect,
      });
      // Another process's view: a second store, never killed, whose appends only reach `store` by NOTIFY.
      const bystander = await PostgresEventStore.connect({ connectionString: database.url, pollIntervalMs: 60_000 });
      let live: LiveCollector | undefined;
      try {
        for (const code of SHARED_PROGRAMMES) {
          expect(await issue(store, createProgramme(code))).toMatchObject({ kind: 'acknowledged' });
        }
        live = variant.followsLive ? collectLive(store) : undefined;
        const killer = await startBackendKiller({
          serverUrl: POSTGRES_SERVER_URL,
          applicationNames: [applicationName],
          maxPauseMs: KILL_PAUSE_MS,
          maxTerminations: APPEND_TERMINATIONS,
        });
        let issued: IssuedCommand[];
        try {
          issued = await runWriters(store, {
            writers: WRITERS,
            programmeIds: SHARED_PROGRAMMES.map((code) => createProgramme(code).programmeId),
            maxCommandsPerWriter: MAX_COMMANDS_PER_WRITER,
            shouldStop: () => killer.terminated() >= APPEND_TERMINATIONS,
          });
        } finally {
          await killer.stop();
        }
        const terminated = killer.terminated();
        const acknowledged = outcomesOf(issued, 'acknowledged');
        const failed = outcomesOf(issued, 'failed');
        const refused = outcomesOf(issued, 'refused');

        // The log as the kills left it, read by the same store: its first act of recovery.
        const afterKills = await deadline(readLog(store), RECOVERY_DEADLINE_MS, 'reading the log after the kills');
        expectWellFormedLog(afterKills);
        const keys = countBy(
          afterKills.filter((event) => keyOf(event) !== undefined),
          (event) => keyOf(event) as string,
        );
        expect([...keys].filter(([, count]) => count > 1)).toEqual([]);
        const byKey = new Map(afterKills.map((event) => [keyOf(event), event]));
        for (const command of acknowledged) {
          const position = (command.outcome as { position: number }).position;
          expect({ key: command.key, position: byKey.get(command.key)?.position }).toEqual({
            key: command.key,
            position,
          });
        }
        // A refusal by the decider wrote nothing.
        expect(refused.filter((command) => keys.has(command.key)).map((command) => command.key)).toEqual([]);
        const failedButWritten = failed.filter((command) => keys.has(command.key));

        // Recovery without a restart: new commands, and a caller's retry of every failed command,
        // which must find an event already written (and add none) or write the missing one once.
        const recovery = SHARED_PROGRAMMES.flatMap((code, p) =>
          Array.from({ length: WRITERS }, (_, w) => createProgramme(`AFTER-${p}-${w}-${code}`)),
        );
        const retries = failed.map((command): IssuedCommand => ({ ...command, outcome: undefined }));
        // The new commands race one another; the retries go one at a time, as one caller would
        // retry its own, so they do not lose to each other on the three shared streams.
        const recovered = await deadline(
          (async () => {
            const outcomes = await Promise.all(recovery.map((command) => issue(store, command)));
            for (const command of retries) outcomes.push(await issue(store, command));
            return outcomes;
          })(),
          RECOVERY_DEADLINE_MS,
          'the commands after the kills',
        );
        expect(recovered.slice(0, recovery.length).filter((outcome) => outcome.kind !== 'acknowledged')).toEqual([]);
        expect(recovered.filter((outcome) => outcome.kind === 'failed')).toEqual([]);
        for (const retry of retries.filter((command) => keys.has(command.key))) {
          expect({ key: retry.key, outcome: retry.outcome }).toEqual({
            key: retry.key,
            outcome: { kind: 'refused', code: retry.kind === 'create' ? 'PROGRAMME_EXISTS' : 'ALREADY_DONE' },
          });
        }

        // Another process appends: only a re-established LISTEN connection can tell the live subscription.
        const { position: head } = await bystander.append('bystander-1', [
          { id: '00000000-0000-4000-8000-000000000001', type: 'BystanderNoted', data: {} },
        ]);
        if (live !== undefined) await deadline(live.reached(head), RECOVERY_DEADLINE_MS, 'the live subscription');

        const log = await readLog(store);
        expectWellFormedLog(log);
        const finalKeys = countBy(
          log.filter((event) => keyOf(event) !== undefined),
          (event) => keyOf(event) as string,
        );
        expect([...finalKeys].filter(([, count]) => count > 1)).toEqual([]);
        expect(log.slice(0, afterKills.length)).toEqual(afterKills);
        // The live subscription saw the same log: each event once, in order, through every kill.
        if (live !== undefined) {
          expect(live.events().map((event) => event.position)).toEqual(log.map((event) => event.position));
        }

        // The writers reserve and release budget with no batches behind it (this test is about the
        // store under kills): every verdict applies but the one comparing reservations with approvals.
        const report = await checkLedger(store);
        expect(report.violations.filter((violation) => violation.invariant !== 'budget-matches-approvals')).toEqual([]);

        expect(terminated).toBeGreaterThanOrEqual(APPEND_TERMINATIONS);
        expect(acknowledged.length).toBeGreaterThan(0);
        const connectionLost = failed.filter(
          (command) => command.outcome?.kind === 'failed' && command.outcome.connectionLost,
        );
        // Without the adapter's retry the kills must have reached the callers, or this variant proved nothing.
        if (variant.reconnect?.attempts === 1) expect(connectionLost.length).toBeGreaterThan(0);
        process.stdout.write(
          `appends (${variant.name}): ${terminated} backends terminated; ${issued.length} commands: ${acknowledged.length} acknowledged, ` +
            `${refused.length} refused by the decider, ${failed.length} failed (${connectionLost.length} on a lost ` +
            `connection, the rest on conflicts; ${failedButWritten.length} written before the failure); ` +
            `${log.length} events; ${((Date.now() - startedMs) / 1_000).toFixed(1)} s\n`,
        );
      } finally {
        await live?.close();
        await bystander.close();
        await store.close();
      }
    },
  );

  it('projection catch-up: the runners resume from their checkpoints and apply every event exactly once', async () => {
    const startedMs = Date.now();
    const seeded = await PostgresEventStore.connect({ connectionString: withoutSynchronousCommit(database.url) });
    const scenario: ScenarioAppend[] = ledgerScenario(PROJECTION_SCENARIO);
    const head = await appendAll(seeded, scenario);
    await seeded.close();
    const seededMs = Date.now();

    const storeName = `salur-chaos-projection-events-${process.pid}`;
    const readModelName = `salur-chaos-projection-read-${process.pid}`;
    const store = await PostgresEventStore.connect({ connectionString: database.url, applicationName: storeName });
    const readModel: ReadModelConfig = {
      dialect: 'postgres',
      sqlitePath: ':memory:',
      postgresUrl: withApplicationName(database.url, readModelName),
    };
    const { db } = await openMigrated(readModel, LEDGER_PROJECTIONS);
    const engine = new ProjectionEngine(db, store, LEDGER_PROJECTIONS, DEFAULT_RUNNER_SETTINGS);
    try {
      const killer = await startBackendKiller({
        serverUrl: POSTGRES_SERVER_URL,
        applicationNames: [storeName, readModelName],
        maxPauseMs: PROJECTION_KILL_PAUSE_MS,
        maxTerminations: Number.MAX_SAFE_INTEGER,
      });
      const seenStates = new Set<string>();
      try {
        engine.start();
        await pollUntil(
          async () => {
            const statuses = await engine.status();
            for (const status of statuses) seenStates.add(status.state);
            if (statuses.some((status) => status.state === 'failed')) throw new Error(JSON.stringify(statuses));
            // Keep killing until the runners were hit often enough to prove something.
            const done = statuses.every((status) => status.position === head);
            return done && killer.terminated() >= MIN_PROJECTION_TERMINATIONS;
          },
          CATCH_UP_DEADLINE_MS,
          'the catch-up under kills',
        );
      } finally {
        await killer.stop();
      }
      const terminated = killer.terminated();
      const statuses = await engine.status();
      const log = await readLog(store);
      expect(log).toHaveLength(eventCount(scenario));
      for (const projection of LEDGER_PROJECTIONS) {
        expect(await dumpTables(db, projection)).toEqual(expectedTables(projection, log));
      }
      // The scenario's ids are synthetic (not derived as the deciders derive them), so of the
      // checker's verdicts only the read models' agreement with a fresh fold applies to this log.
      const report = await checkLedger(store, { readModels: db });
      expect(report.checked).toContain('projection-agrees');
      expect(report.violations.filter((violation) => violation.invariant === 'projection-agrees')).toEqual([]);
      // The kills reached the runners, the runners said so, and they recovered on their own.
      const failures = statuses.reduce((sum, status) => sum + status.failures, 0);
      expect(failures).toBeGreaterThan(0);
      expect(statuses.every((status) => status.state === 'running' && status.position === head)).toBe(true);
      expect(terminated).toBeGreaterThanOrEqual(MIN_PROJECTION_TERMINATIONS);
      process.stdout.write(
        `projections: ${log.length} events (seeded in ${((seededMs - startedMs) / 1_000).toFixed(1)} s); ` +
          `${terminated} backends terminated during catch-up; ${failures} runner failures, all recovered; ` +
          `states seen: ${[...seenStates].join(', ')}; ${((Date.now() - seededMs) / 1_000).toFixed(1)} s\n`,
      );
    } finally {
      await engine.stop();
      await db.destroy();
      await store.close();
    }
  });
});
