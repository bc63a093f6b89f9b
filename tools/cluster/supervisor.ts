import { ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { CLUSTER_APPS, ClusterApp, ClusterProcess, LaunchMode, nodeArgumentsOf } from './cluster-plan';
import { LinePrefixer, prefixOf } from './line-prefixer';

/** A stopped app gets this long to close its connections before it is killed. */
export const STOP_GRACE_MS = 15_000;
const READY_POLL_MS = 250;
/** Every name that prefixes a line: the apps and the supervisor's own. */
export const LINE_OWNERS: readonly string[] = [...CLUSTER_APPS, 'cluster'];
/** One readiness probe; /health/ready itself gives up on a dependency after 3 s. */
const PROBE_TIMEOUT_MS = 5_000;

export interface AppExit {
  readonly app: ClusterApp;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SupervisorOptions {
  readonly mode: LaunchMode;
  /** The repository's root: the apps' paths and `./data` are relative to it. */
  readonly cwd: string;
  /** The environment every app starts from; each process's own settings go over it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Every output line of every app, prefixed with its name. */
  readonly write: (line: string) => void;
  /** Called once per app that exits while it was not being stopped. */
  readonly onUnexpectedExit?: (exit: AppExit) => void;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<AppExit>;
  stopping: boolean;
}

/**
 * Runs the cluster's apps as child processes: relays their output line by line with their names,
 * reports one that dies, waits for their readiness, and stops them all. Each app runs in a
 * process group of its own, so a Ctrl-C reaches the supervisor alone and every app receives
 * exactly one SIGTERM: a second signal during Nest's graceful shutdown would kill it halfway.
 */
export class ClusterSupervisor {
  private readonly running = new Map<ClusterApp, Running>();

  constructor(private readonly options: SupervisorOptions) {
    // Whatever happens to the supervisor, its apps do not outlive it.
    process.once('exit', () => this.killAll());
  }

  start(plan: ClusterProcess): void {
    if (this.running.has(plan.app)) throw new Error(`${plan.app} is already running`);
    const child = spawn(process.execPath, nodeArgumentsOf(plan.app, this.options.mode), {
      cwd: this.options.cwd,
      env: { ...this.options.env, ...plan.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const output = new LinePrefixer(prefixOf(plan.app, LINE_OWNERS), this.options.write);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    const running: Running = {
      child,
      stopping: false,
      exited: new Promise((resolve) =>
        child.once('exit', (code, signal) => {
          output.flush();
          const exit = { app: plan.app, code, signal };
          if (!running.stopping) this.options.onUnexpectedExit?.(exit);
          resolve(exit);
        }),
      ),
    };
    this.running.set(plan.app, running);
  }

  /** Resolves once the app answers 200 on its readiness URL; rejects if it exits or the time runs out. */
  async waitUntilReady(plan: ClusterProcess, timeoutMs: number): Promise<void> {
    const running = this.running.get(plan.app);
    if (running === undefined || plan.readyUrl === undefined) throw new Error(`${plan.app} has nothing to wait for`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (running.child.exitCode !== null || running.child.signalCode !== null) {
        throw new Error(`${plan.app} exited before it was ready`);
      }
      if ((await statusOf(plan.readyUrl)) === 200) return;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    throw new Error(`${plan.app} was not ready at ${plan.readyUrl} within ${timeoutMs / 1_000} s`);
  }

  /** Sends each app one SIGTERM, waits for them to close, kills what is left after the grace period. */
  async stopAll(graceMs = STOP_GRACE_MS): Promise<AppExit[]> {
    const all = [...this.running.values()];
    for (const running of all) {
      running.stopping = true;
      signal(running.child, 'SIGTERM');
    }
    const exits = Promise.all(all.map((running) => running.exited));
    const timer = setTimeout(() => this.killAll(), graceMs);
    try {
      return await exits;
    } finally {
      clearTimeout(timer);
      this.running.clear();
    }
  }

  private killAll(): void {
    for (const running of this.running.values()) {
      running.stopping = true;
      signal(running.child, 'SIGKILL');
    }
  }
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(name);
  } catch {
    // Gone between the check and the signal: nothing left to stop.
  }
}

/** The HTTP status of a GET, or 0 when nothing answered (not started yet, refused, timed out). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const probe = request(url, { method: 'GET', agent: false, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    probe.on('timeout', () => probe.destroy());
    probe.on('error', () => resolve(0));
    probe.end();
  });
}
