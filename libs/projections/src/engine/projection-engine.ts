import type { EventStore, GlobalPosition } from '@salur/event-store';
import { CheckpointFollower } from './checkpoint-follower';
import { MAX_WAIT_FOR_MS } from './position-waiters';
import type { Projection } from './projection';
import type { ReadModelDatabase } from './read-model-database';
import { rebuildProjection, RebuildOptions, RebuildResult } from './rebuild';
import { DEFAULT_RUNNER_SETTINGS, ProjectionRunner, ProjectionState, RunnerSettings } from './projection-runner';

export interface ProjectionStatus {
  readonly name: string;
  readonly state: ProjectionState;
  /** Global position of the last event applied; undefined when none was. */
  readonly position: GlobalPosition | undefined;
  /** Global position of the last event in the log; undefined when the log is empty. */
  readonly headPosition: GlobalPosition | undefined;
  /**
   * headPosition − position: how far behind the projection is, in positions. The SQL event stores
   * number events densely, so there this is a count of events; EventStoreDB's positions are bytes.
   */
  readonly lag: number;
  /** Events applied per second over the last 10 s. */
  readonly eventsPerSecond: number;
  readonly eventsApplied: number;
  /** The error of the failure in progress ('retrying'), or the one that stopped it ('failed'). */
  readonly lastError: string | undefined;
  /** Failures since the process started, each followed by a restart from the checkpoint. */
  readonly failures: number;
  /** The most recent failure, still shown after the projection recovered. */
  readonly lastFailure: { readonly message: string; readonly at: string } | undefined;
}

export interface WaitForOptions {
  /** At most MAX_WAIT_FOR_MS, which is also the default. */
  readonly timeoutMs?: number;
  /** Only these projections; all by default. */
  readonly projections?: readonly string[];
}

/**
 * The projections of one process: starts and stops their runners, reports on them, waits for them.
 * Where another process projects (`projectsHere` false: the API with PROJECTIONS=separate), the
 * runners stay idle and waits and reports follow the checkpoints that process commits.
 */
export class ProjectionEngine {
  private readonly runners: ReadonlyMap<string, ProjectionRunner>;
  private readonly follower: CheckpointFollower | undefined;

  constructor(
    private readonly db: ReadModelDatabase,
    private readonly store: EventStore,
    projections: readonly Projection[],
    settings: RunnerSettings = DEFAULT_RUNNER_SETTINGS,
    projectsHere = true,
  ) {
    this.runners = new Map(
      projections.map((projection) => [projection.name, new ProjectionRunner(db, store, projection, settings)]),
    );
    if (!projectsHere) this.follower = new CheckpointFollower(db, [...this.runners.keys()]);
  }

  /** Starts every runner; they catch up in the background. Nothing to start where another process projects. */
  start(): void {
    if (this.follower !== undefined) return;
    for (const runner of this.runners.values()) runner.start();
  }

  async stop(): Promise<void> {
    this.follower?.stop();
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  /**
   * Resolves once the projections have applied every event up to `position`, typically the
   * position a command was answered with, so the read that follows sees the command's effect.
   * Rejects with ProjectionWaitTimeoutError after the timeout.
   */
  async waitFor(position: GlobalPosition, options: WaitForOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? MAX_WAIT_FOR_MS;
    if (!(timeoutMs > 0 && timeoutMs <= MAX_WAIT_FOR_MS)) {
      throw new RangeError(`waitFor timeout ${timeoutMs} ms is outside 1..${MAX_WAIT_FOR_MS}`);
    }
    const names = options.projections ?? [...this.runners.keys()];
    const follower = this.follower;
    await Promise.all(
      names.map((name) =>
        follower ? follower.waitFor(name, position, timeoutMs) : this.runner(name).waitFor(position, timeoutMs),
      ),
    );
  }

  async status(): Promise<ProjectionStatus[]> {
    const headPosition = await this.store.headPosition();
    const committed = await this.follower?.positions();
    return [...this.runners.values()].map((runner) => {
      const running = runner.snapshot();
      const position = committed?.get(running.name);
      const snapshot = committed
        ? {
            ...running,
            state: 'separate' as const,
            position: position === undefined || position < 0 ? undefined : position,
          }
        : running;
      const lag = headPosition === undefined ? 0 : Math.max(0, headPosition - (snapshot.position ?? 0));
      return { ...snapshot, headPosition, lag };
    });
  }

  /**
   * Rebuilds the projection from the first event into shadow tables and swaps them in (see
   * rebuild.ts); its runner keeps going and picks up from the swapped checkpoint. Readers see the
   * old tables until the swap and the new ones after, never a half-built table.
   */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildResult> {
    return rebuildProjection(this.db, this.store, this.runner(name).projection, options);
  }

  private runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (runner === undefined) throw new Error(`No projection is registered as '${name}'`);
    return runner;
  }
}
