import { Presets, SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import { type CliOutput, CliUsageError, type Environment, readInteger } from '@salur/config';
import { readModelConfigFrom } from '@salur/database';
import { eventStoreConfigFrom, type EventStore } from '@salur/event-store';
import { migrateReadModels } from '../engine/migrations';
import type { Projection } from '../engine/projection';
import { openReadModelDatabase } from '../engine/read-model-database';
import { REBUILD_LEASE_MS, RebuildInProgressError, rebuildProjection, type RebuildProgress } from '../engine/rebuild';

export function rebuildUsage(projections: readonly Projection[]): string {
  return `projections rebuild [<${projections.map((projection) => projection.name).join('|')}>] [--force]`;
}

/** Shows a rebuild's progress; the CLI draws a bar on stderr. */
export interface RebuildProgressView {
  start(projection: string, total: number): void;
  update(progress: RebuildProgress): void;
  stop(): void;
}

/**
 * `npm run cli -- projections rebuild [name] [--force]`: rebuilds one projection, or all, from
 * the first event into shadow tables and swaps them in (see engine/rebuild.ts), while the
 * service keeps serving the old tables. Runs the read-model migrations first, so the shadow
 * and the live tables are at the same schema version. `--force` takes over the shadow of a
 * rebuild that died less than 30 s ago. Prints one line per projection on stdout; answers exit
 * code 1 when another rebuild of the projection is running.
 */
export async function rebuildProjectionsCommand(
  args: readonly string[],
  env: Environment,
  output: CliOutput,
  projections: readonly Projection[],
  /** The ledger's store as the service sees it (personal data opened): libs/ledger's openLedgerEventStore. */
  openStore: (env: Environment) => Promise<EventStore>,
  progress: RebuildProgressView = progressBar(),
): Promise<number> {
  const { name, force } = parseCommandLine(args, projections);
  const selected = projections.filter((projection) => name === undefined || projection.name === name);
  const eventStoreConfig = eventStoreConfigFrom(env);
  const readModelConfig = readModelConfigFrom(env, eventStoreConfig);
  // How long a shadow that stopped moving still belongs to another rebuild (a big batch on a busy
  // machine may hold it still for a while); past it, the next rebuild takes over without --force.
  const leaseMs =
    readInteger(env, 'PROJECTION_REBUILD_LEASE_SECONDS', REBUILD_LEASE_MS / 1_000, { min: 1, max: 86_400 }) * 1_000;
  const store = await openStore(env);
  const db = openReadModelDatabase(readModelConfig);
  try {
    await migrateReadModels(db, projections);
    for (const projection of selected) {
      progress.start(projection.name, (await store.headPosition()) ?? 0);
      let result;
      try {
        result = await rebuildProjection(db, store, projection, {
          force,
          leaseMs,
          onProgress: (now) => progress.update(now),
        });
      } catch (error) {
        if (!(error instanceof RebuildInProgressError)) throw error;
        output.stderr(error.message);
        return 1;
      } finally {
        progress.stop();
      }
      const seconds = result.elapsedMs / 1_000;
      output.stdout(
        `${projection.name}: rebuilt ${result.eventsApplied} events to position ${result.position} in ` +
          `${seconds.toFixed(1)} s (${Math.round(result.eventsApplied / Math.max(seconds, 0.001))} events/s)`,
      );
    }
    return 0;
  } finally {
    await db.destroy();
    await store.close();
  }
}

function parseCommandLine(args: readonly string[], projections: readonly Projection[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { force: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const names = projections.map((projection) => projection.name);
  const [name, ...rest] = parsed.positionals;
  if (rest.length > 0) throw new CliUsageError(`One projection at most, not ${parsed.positionals.join(' ')}`);
  if (name !== undefined && !names.includes(name)) {
    throw new CliUsageError(`No projection '${name}': known are ${names.join(', ')}`);
  }
  return { name, force: parsed.values.force === true };
}

/** done/total events (global positions), the rate so far, and cli-progress's own ETA; silent when stderr is not a terminal. */
function progressBar(): RebuildProgressView {
  const bar = new SingleBar(
    {
      format: '{projection} [{bar}] {value}/{total} events | {rate} events/s | ETA {eta_formatted} | {phase}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    Presets.shades_classic,
  );
  return {
    start: (projection, total) => bar.start(total, 0, { projection, rate: 0, phase: 'starting' }),
    update: (now) => {
      bar.setTotal(Math.max(now.headPosition, 1));
      const rate = Math.round(now.eventsApplied / Math.max(now.elapsedMs / 1_000, 0.001));
      bar.update(now.position, { projection: now.projection, rate, phase: now.phase });
    },
    stop: () => bar.stop(),
  };
}
