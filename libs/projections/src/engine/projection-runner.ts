import {
  BatchLimits,
  DEFAULT_BATCH_LIMITS,
  isConnectionLost,
  readBatches,
  type EventStore,
  type EventSubscription,
  type GlobalPosition,
} from '@salur/event-store';
import { applyBatch } from './apply-batch';
import { CheckpointMovedError, readCheckpoint } from './checkpoint-store';
import { PositionWaiters, ProjectionNotRunningError } from './position-waiters';
import { NO_POSITION, type Projection } from './projection';
import type { ReadModelDatabase } from './read-model-database';
import { ThroughputMeter } from './throughput-meter';

/** `separate`: another process projects it (PROJECTIONS=separate); this one reads its checkpoint. */
export type ProjectionState = 'stopped' | 'starting' | 'running' | 'retrying' | 'failed' | 'separate';

export interface RetryPolicy {
  /**
   * After this many failures in a row (no batch committed in between) the projection stops as
   * failed. A lost database connection does not count: it is retried for as long as it lasts.
   */
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
  /** The error of the failure in progress; cleared once a batch commits again. */
  readonly lastError: string | undefined;
  /** Failures since this runner started, each followed by a restart from the checkpoint. */
  readonly failures: number;
  /** The most recent failure, kept after the recovery so an operator can still see what happened. */
  readonly lastFailure: { readonly message: string; readonly at: string } | undefined;
}

/**
 * Runs one projection: reads its checkpoint, follows the event store's catch-up subscription from
 * there, and applies the events in batches (see applyBatch). A failure (database down, a bug in a
 * projection) closes the subscription and starts again from the committed checkpoint after a
 * growing delay, so nothing is applied twice; too many failures in a row stop the projection and
 * say why in its status, unless they are lost connections: an outage is waited out, never fatal.
 */
export class ProjectionRunner {
  private state: ProjectionState = 'stopped';
  private position: GlobalPosition | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private subscription: EventSubscription | undefined;
  private cancelRetryDelay: (() => void) | undefined;
  /** Failures since the last committed batch: they set the delay before the next try. */
  private consecutiveFailures = 0;
  /** The same, lost connections left out: these stop the projection. */
  private consecutiveFaults = 0;
  private failures = 0;
  private lastFailure: RunnerSnapshot['lastFailure'];
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
    this.consecutiveFaults = 0;
    this.failures = 0;
    this.lastFailure = undefined;
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
      failures: this.failures,
      lastFailure: this.lastFailure,
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
        this.failures++;
        this.lastFailure = { message: this.lastError, at: new Date().toISOString() };
        this.consecutiveFailures++;
        if (!isConnectionLost(error)) this.consecutiveFaults++;
        if (this.consecutiveFaults >= this.settings.retry.maxConsecutiveFailures) {
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
      this.consecutiveFaults = 0;
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
