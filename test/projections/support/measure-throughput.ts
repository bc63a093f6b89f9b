import { EventStore } from '@salur/event-store';
import { ProjectionEngine } from '@salur/projections';
import { directoryProjection } from './directory-projection';
import { BackendFactory, postgresBackend, sqliteBackend } from './backends';
import { appendAll, openMigrated } from './engine-harness';
import { eventCount, ledgerScenario } from './ledger-scenario';

/**
 * Not a test: prints how fast the directory catches up from zero on each dialect, with the
 * default batch limits. Run with
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register test/projections/support/measure-throughput.ts
 */
const RUNS = 3;
const LIVE_SAMPLES = 50;
const SCENARIO = ledgerScenario({
  programmes: 4,
  beneficiariesPerProgramme: 250,
  periods: ['2026-01', '2026-02'],
  batchSize: 100,
});

async function catchUpMs(
  store: EventStore,
  factoryConfig: Parameters<typeof openMigrated>[0],
  head: number,
): Promise<number> {
  const { db } = await openMigrated(factoryConfig, [directoryProjection]);
  await db.deleteFrom('projectionCheckpoints').execute();
  for (const { table } of directoryProjection.readModels)
    await db.withTables<Record<string, object>>().deleteFrom(table).execute();
  const engine = new ProjectionEngine(db, store, [directoryProjection]);
  const started = performance.now();
  engine.start();
  for (let round = 0; round < 60; round++) {
    try {
      await engine.waitFor(head);
      break;
    } catch {
      // a 5-second round elapsed; keep waiting
    }
  }
  const elapsed = performance.now() - started;
  const payments = await db
    .withTables<Record<string, { id: string }>>()
    .selectFrom('balancesPayments')
    .select((eb) => eb.fn.countAll().as('rows'))
    .executeTakeFirstOrThrow();
  if (Number(payments.rows) !== 2_000) throw new Error(`expected 2000 payments, found ${String(payments.rows)}`);
  await engine.stop();
  await db.destroy();
  return elapsed;
}

/** Append one event, then wait until it is projected: what a command followed by a read pays. */
async function readYourWriteMs(
  store: EventStore,
  config: Parameters<typeof openMigrated>[0],
  head: number,
): Promise<number[]> {
  const { db } = await openMigrated(config, [directoryProjection]);
  const engine = new ProjectionEngine(db, store, [directoryProjection]);
  engine.start();
  await engine.waitFor(head);
  const latencies: number[] = [];
  for (let n = 0; n < LIVE_SAMPLES; n++) {
    const started = performance.now();
    const position = await appendAll(
      store,
      ledgerScenario({ programmes: 1, beneficiariesPerProgramme: 0, periods: [], batchSize: 1 }),
    );
    await engine.waitFor(position);
    latencies.push(performance.now() - started);
  }
  await engine.stop();
  await db.destroy();
  return latencies.sort((left, right) => left - right);
}

async function measure(name: string, factory: BackendFactory): Promise<void> {
  const backend = await factory();
  try {
    const head = await appendAll(backend.store, SCENARIO);
    const events = eventCount(SCENARIO);
    const timings: number[] = [];
    for (let run = 0; run < RUNS; run++) timings.push(await catchUpMs(backend.store, backend.readModel, head));
    timings.sort((left, right) => left - right);
    const median = timings[Math.floor(RUNS / 2)];
    console.log(
      `${name}: ${events} events, catch-up median ${median.toFixed(0)} ms = ${Math.round((events * 1_000) / median)} events/s (runs: ${timings.map((t) => t.toFixed(0)).join(', ')} ms)`,
    );
    const live = await readYourWriteMs(backend.store, backend.readModel, head);
    console.log(
      `${name}: append + waitFor, median ${live[LIVE_SAMPLES / 2].toFixed(1)} ms, p90 ${live[Math.floor(LIVE_SAMPLES * 0.9)].toFixed(1)} ms`,
    );
  } finally {
    await backend.dispose();
  }
}

async function main(): Promise<void> {
  await measure('sqlite', sqliteBackend);
  await measure('postgres', postgresBackend);
}

void main();
