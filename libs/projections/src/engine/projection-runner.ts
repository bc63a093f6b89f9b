import type { EventStore, EventSubscription, GlobalPosition } from '@salur/event-store';
import { applyBatch } from './apply-batch';
import { CheckpointMovedError, readCheckpoint } from './checkpoint-store';
import { PositionWaiters, ProjectionNotRunningError } from './position-waiters';
import { NO_POSITION, type Projection } from './projection';
import type { ReadModelDatabase } from './read-model-database';
import { BatchLimits, DEFAULT_BATCH_LIMITS, readBatches } from './read-batches';
import { ThroughputMeter } from './throughput-meter';

export type ProjectionState = 'stopped' | 'starting' | 'running' | 'retrying' | 'failed';

export interface RetryPolicy {
  /** After this many failures in a row (no batch committed in between) the projection stops as failed. */
  readonly maxConsecutiveFailures: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxConsecutiveFailures: 10, firstDelayMs: 100, maxDelayMs: 30_000 };

export interface RunnerSettings {
  readonly batch: BatchLimits;
  readonly retry: RetryPolicy;
}

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = { batch: DEFAULT_BATCH_LIMITS, retry: DEFAULT_RETRY_POLICY };

export interface RunnerSnapshot {
  readonly name: string;
  readonly state: ProjectionState;
  /** Last applied global position; undefined before the checkpoint was read or when nothing was applied. */
  readonly position: GlobalPosition | undefined;
  readonly eventsPerSecond: number;
  /** Events applied since this runner started (a replay after a restart is not counted twice). */
  readonly eventsApplied: number;
  readonly lastError: string | undefined;
}

/**
 * Runs one projection: reads its checkpoint, follows the event store's catch-up subscription from
 * there, and applies the events in batches (see applyBatch). A failure (database down, a bug in a
 * projection) closes the subscription and starts again from the committed checkpoint after a
 * growing delay; too many failures in a row stop the projection and say why in its status.
 */
export class ProjectionRunner {
  private state: ProjectionState = 'stopped';
  private position: GlobalPosition | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private subscription: EventSubscription | undefined;
  private cancelRetryDelay: (() => void) | undefined;
  private consecutiveFailures = 0;
  private lastError: string | undefined;
  private eventsApplied = 0;
  private meter = new ThroughputMeter(performance.now());
  private readonly waiters: PositionWaiters;

  constructor(
    private readonly db: ReadModelDatabase,
    private readonly store: EventStore,
    readonly projection: Projection,
    private readonly settings: RunnerSettings = DEFAULT_RUNNER_SETTINGS,
  ) {
    this.waiters = new PositionWaiters(projection.name);
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.state = 'starting';
    // Unknown until the checkpoint is read: a rebuild may have moved it back.
    this.position = undefined;
    this.consecutiveFailures = 0;
    this.eventsApplied = 0;
    this.meter = new ThroughputMeter(performance.now());
    this.loop = this.run().finally(() => (this.loop = undefined));
  }

  /** Stops after the batch in flight commits (or fails); reads still waiting are refused. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelRetryDelay?.();
    await this.subscription?.close();
    await this.loop;
    this.state = 'stopped';
    this.waiters.rejectAll(new ProjectionNotRunningError(this.projection.name, 'stopped'));
  }

  /** Resolves once the checkpoint is at or past `position`; rejects after timeoutMs. */
  waitFor(position: GlobalPosition, timeoutMs: number): Promise<void> {
    if (this.state === 'failed' || this.state === 'stopped') {
      const reached = this.position ?? NO_POSITION;
      if (reached >= position) return Promise.resolve();
      return Promise.reject(new ProjectionNotRunningError(this.projection.name, this.lastError ?? this.state));
    }
    return this.waiters.wait(position, () => this.position, timeoutMs);
  }

  snapshot(): RunnerSnapshot {
    return {
      name: this.projection.name,
      state: this.state,
      position: this.position === NO_POSITION ? undefined : this.position,
      eventsPerSecond: this.meter.eventsPerSecond(performance.now()),
      eventsApplied: this.eventsApplied,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.follow();
      } catch (error) {
        if (this.stopping) return;
        this.lastError = describe(error);
        // Another runner moved the checkpoint: not a fault here, start again from where it is.
        if (error instanceof CheckpointMovedError) continue;
        this.consecutiveFailures++;
        if (this.consecutiveFailures >= this.settings.retry.maxConsecutiveFailures) {
          this.state = 'failed';
          this.waiters.rejectAll(new ProjectionNotRunningError(this.projection.name, this.lastError));
          return;
        }
        this.state = 'retrying';
        await this.delayBeforeRetry(this.consecutiveFailures);
      }
    }
  }

  /** Follows the log from the committed checkpoint until stopped; throws on any failure. */
  private async follow(): Promise<void> {
    let position = await readCheckpoint(this.db, this.projection.name);
    this.advanceTo(position);
    if (this.stopping) return;
    const subscription = this.store.subscribeToAll(position === NO_POSITION ? {} : { after: position });
    this.subscription = subscription;
    this.state = 'running';
    for await (const batch of readBatches(subscription, this.settings.batch)) {
      if (this.stopping) return;
      position = await applyBatch(this.db, this.projection, batch, position);
      this.consecutiveFailures = 0;
      this.lastError = undefined;
      this.eventsApplied += batch.length;
      this.meter.record(batch.length, performance.now());
      this.advanceTo(position);
    }
    if (!this.stopping) throw new Error('The event subscription ended');
  }

  private advanceTo(position: GlobalPosition): void {
    this.position = position;
    this.waiters.advance(position);
  }

  private delayBeforeRetry(failures: number): Promise<void> {
    const { firstDelayMs, maxDelayMs } = this.settings.retry;
    const delayMs = Math.min(maxDelayMs, firstDelayMs * 2 ** (failures - 1));
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.cancelRetryDelay = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
