import { join } from 'node:path';
import { DEFAULT_CHECKPOINT_ORIGIN, generateNoteKey } from '@salur/audit-log';
import { clusterProcesses, clusterSettingsFrom } from './cluster-plan';
import { ensureDatabase } from './ensure-database';
import { prefixOf } from './line-prefixer';
import { ClusterSupervisor, LINE_OWNERS } from './supervisor';

/** A first start on a slow machine migrates every table before it answers. */
const READY_TIMEOUT_MS = 180_000;
const ROOT = join(__dirname, '..', '..');

/**
 * `npm run start:cluster`: after `npm run build`, the API, the worker and the projector as three
 * processes on PostgreSQL and Redis, as production runs them. The API starts first (it migrates
 * the tables), the other two once it is ready. Ctrl-C stops all three; so does the death of any.
 */
async function main(): Promise<void> {
  const settings = clusterSettingsFrom(process.env);
  const created = await ensureDatabase(settings.databaseUrl);
  say(`${created ? 'Created' : 'Using'} the database ${withoutPassword(settings.databaseUrl)}`);
  let stopping = false;
  const stop = async (reason: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(reason);
    await supervisor.stopAll();
    process.exit(exitCode);
  };
  const supervisor = new ClusterSupervisor({
    mode: 'built',
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_SIGNING_KEY: sharedCheckpointKey() },
    write: (line) => process.stdout.write(`${line}\n`),
    onUnexpectedExit: ({ app, code, signal }) =>
      void stop(`${app} exited (${signal ?? `code ${code}`}): stopping the others`, 1),
  });
  process.on('SIGINT', () => void stop('Ctrl-C: stopping the cluster', 0));
  process.on('SIGTERM', () => void stop('SIGTERM: stopping the cluster', 0));

  const [api, worker, projector] = clusterProcesses(settings);
  try {
    supervisor.start(api);
    await supervisor.waitUntilReady(api, READY_TIMEOUT_MS);
    supervisor.start(worker);
    supervisor.start(projector);
    await supervisor.waitUntilReady(projector, READY_TIMEOUT_MS);
  } catch (error) {
    return stop(`Not started: ${messageOf(error)}`, 1);
  }
  say(
    `Up: the API on http://127.0.0.1:${settings.apiPort}, the projector's probes and metrics on ` +
      `http://127.0.0.1:${settings.projectorPort}, the worker on the queues. Ctrl-C stops all three.`,
  );
}

/**
 * Without CHECKPOINT_SIGNING_KEY each app would sign with a key of its own made at start-up
 * (the API signs on POST /audit/checkpoints, the projector on its interval): one key for the run.
 */
function sharedCheckpointKey(): string {
  const given = process.env.CHECKPOINT_SIGNING_KEY?.trim();
  if (given) return given;
  say('CHECKPOINT_SIGNING_KEY is not set: the apps share a key made for this run (npm run cli -- setup makes one)');
  return generateNoteKey(process.env.CHECKPOINT_ORIGIN?.trim() || DEFAULT_CHECKPOINT_ORIGIN).signerKey;
}

function say(message: string): void {
  process.stdout.write(`${prefixOf('cluster', LINE_OWNERS)}${message}\n`);
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  say(`Not started: ${messageOf(error)}`);
  process.exit(1);
});
