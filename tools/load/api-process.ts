import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { exchange } from './http-exchange';

const ROOT = join(__dirname, '..', '..');
/** Start-up under ts-node (transpiling the whole API) takes ~10 s here; the bound leaves room on a busy machine. */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const HEALTH_POLL_MS = 200;

export interface ApiProcess {
  readonly url: string;
  readonly pid: number;
  /** Graceful stop (SIGTERM: Nest's shutdown hooks close the store and the workers), SIGKILL after a bound. */
  stop(): Promise<void>;
  /** Settles when the process ends, however it ends (the crash tests kill it from inside). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

/**
 * The API as production runs it (apps/api/src/main.ts, embedded workers) in its own process, so
 * the load generator and the server do not share one event loop and their latencies stay apart.
 * Its output goes to `logPath` (5xx stacks end up there).
 */
export async function startApiProcess(env: Record<string, string>, logPath: string): Promise<ApiProcess> {
  const port = await freePort();
  const log = createWriteStream(logPath);
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(child, url);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, pid: child.pid ?? -1, stop: () => stopChild(child), exited };
}

async function waitForHealth(child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The API exited with ${child.exitCode ?? child.signalCode} during start-up`);
    }
    try {
      const response = await exchange('GET', `${url}/health`, {});
      // Job endpoints answer 503 until the Redis connection is up; the load needs them from the start.
      if (response.status === 200 && response.json<{ status: string }>().status === 'ok') return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`The API did not become healthy within ${START_TIMEOUT_MS} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
