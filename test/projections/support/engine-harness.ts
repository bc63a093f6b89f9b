import { randomUUID } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import type { EventStore, GlobalPosition, JsonObject, RecordedEvent } from '@salur/event-store';
import {
  migrateReadModels,
  openReadModelDatabase,
  Projection,
  ProjectionEngine,
  ProjectionWaitTimeoutError,
  projectInMemory,
  ReadModelDatabase,
  RunnerSettings,
} from '@salur/projections';
import type { ScenarioAppend } from './ledger-scenario';
import { ReadModelConfig } from '@salur/database';

/** Small batches, so a few hundred events make several transactions; a long retry delay to look in between. */
export const TEST_RUNNER_SETTINGS: RunnerSettings = {
  batch: { maxEvents: 100, maxDelayMs: 50 },
  retry: { maxConsecutiveFailures: 3, firstDelayMs: 60_000, maxDelayMs: 60_000 },
};

const METADATA: JsonObject = {
  actor: { userId: 'test-runner', role: 'admin' },
  correlationId: 'projection-tests',
  causationId: 'projection-tests',
  occurredAt: '2026-01-01T00:00:00.000Z',
  schemaVersion: 1,
};

/** Appends the scenario through the real adapter; returns the head position. */
export async function appendAll(store: EventStore, appends: readonly ScenarioAppend[]): Promise<GlobalPosition> {
  let head = 0;
  for (const append of appends) {
    const events = append.events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data as unknown as JsonObject,
      metadata: METADATA,
    }));
    head = (await store.append(append.streamName, events)).position;
  }
  return head;
}

export async function readLog(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

export async function openMigrated(
  config: ReadModelConfig,
  projections: readonly Projection[],
  plugins: readonly KyselyPlugin[] = [],
): Promise<{ db: ReadModelDatabase; withPlugins: ReadModelDatabase }> {
  const db = openReadModelDatabase(config);
  await migrateReadModels(db, projections);
  const withPlugins = plugins.reduce((current, plugin) => current.withPlugin(plugin), db);
  return { db, withPlugins };
}

export interface RunningEngine {
  readonly engine: ProjectionEngine;
  readonly db: ReadModelDatabase;
  stop(): Promise<void>;
}

/** One waitFor is bounded at 5 s; a large catch-up on a busy machine may take several. */
const MAX_WAIT_ROUNDS = 24;

/** Waits until the engine applied `position`: a slow machine only waits longer, a failed projection still throws. */
export async function waitUntilApplied(engine: ProjectionEngine, position: GlobalPosition): Promise<void> {
  for (let round = 1; ; round++) {
    try {
      return await engine.waitFor(position);
    } catch (error) {
      if (!(error instanceof ProjectionWaitTimeoutError) || round >= MAX_WAIT_ROUNDS) throw error;
    }
  }
}

/** Migrates, starts an engine and, when given, waits until it applied `untilPosition`. */
export async function startEngine(
  store: EventStore,
  config: ReadModelConfig,
  projections: readonly Projection[],
  options: { untilPosition?: GlobalPosition; plugins?: readonly KyselyPlugin[]; settings?: RunnerSettings } = {},
): Promise<RunningEngine> {
  const { db, withPlugins } = await openMigrated(config, projections, options.plugins);
  const engine = new ProjectionEngine(withPlugins, store, projections, options.settings ?? TEST_RUNNER_SETTINGS);
  engine.start();
  if (options.untilPosition !== undefined) await waitUntilApplied(engine, options.untilPosition);
  return {
    engine,
    db,
    async stop() {
      await engine.stop();
      await db.destroy();
    },
  };
}

export type TableDump = Record<string, ReadonlyArray<Record<string, unknown>>>;

/** Every row of the projection's tables, with its last position, sorted by id. */
export async function dumpTables(db: ReadModelDatabase, projection: Projection): Promise<TableDump> {
  const tables = db.withTables<Record<string, Record<string, string | number | null>>>();
  const dump: TableDump = {};
  for (const { table } of projection.readModels) {
    dump[table] = await tables.selectFrom(table).selectAll().orderBy('id').execute();
  }
  return dump;
}

/** What the tables must hold after these events: the engine's pure steps, in memory. */
export function expectedTables(projection: Projection, events: readonly RecordedEvent[]): TableDump {
  const tables = projectInMemory(projection, events);
  const dump: TableDump = {};
  for (const { table } of projection.readModels) {
    const rows = [...(tables.get(table)?.values() ?? [])].map(({ row, lastPosition }) => ({ ...row, lastPosition }));
    dump[table] = rows.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  }
  return dump;
}

export async function checkpointOf(db: ReadModelDatabase, projection: string): Promise<GlobalPosition> {
  const row = await db
    .selectFrom('projectionCheckpoints')
    .select('position')
    .where('name', '=', projection)
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
