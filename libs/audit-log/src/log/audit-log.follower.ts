import { readBatches, type EventStore, type EventSubscription } from '@salur/event-store';
import { AuditLogWriter, MAX_APPEND_EVENTS, UnloggableEventError } from './audit-log.writer';
import type { LogState } from './merkle-log.store';

export type FollowerState = 'stopped' | 'starting' | 'running' | 'retrying' | 'failed';

export interface FollowerSettings {
  /** Events per transaction at most. */
  readonly maxBatchEvents: number;
  readonly firstRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
}

export const DEFAULT_FOLLOWER_SETTINGS: FollowerSettings = {
  // Batches also close where the subscription's next page needs I/O (pages of 1,000 events).
  maxBatchEvents: MAX_APPEND_EVENTS,
  firstRetryDelayMs: 100,
  maxRetryDelayMs: 30_000,
};

export interface FollowerStatus {
  readonly state: FollowerState;
  readonly treeSize: number | undefined;
  readonly position: number | undefined;
  readonly lastError: string | undefined;
}

/**
 * The audit log's projection runner: follows the event store's catch-up subscription from the
 * logged position and appends what arrives, a batch per transaction (the checkpoint, the state
 * row, commits with the leaves). On a failure it starts again from the committed state after a
 * growing delay; an event that cannot be logged faithfully stops it for good, saying why.
 */
export class AuditLogFollower {
  private state: FollowerState = 'stopped';
  private logState: LogState | undefined;
  private lastError: string | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private subscription: EventSubscription | undefined;
  private cancelDelay: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly writer: AuditLogWriter,
    private readonly settings: FollowerSettings = DEFAULT_FOLLOWER_SETTINGS,
    private readonly onFailure: (message: string) => void = () => undefined,
  ) {}

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.state = 'starting';
    this.loop = this.run().finally(() => (this.loop = undefined));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelDelay?.();
    await this.subscription?.close();
    await this.loop;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  status(): FollowerStatus {
    return {
      state: this.state,
      treeSize: this.logState?.treeSize,
      position: this.logState?.position,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.follow(() => (failures = 0));
      } catch (error) {
        if (this.stopping) return;
        this.lastError = error instanceof Error ? error.message : String(error);
        if (error instanceof UnloggableEventError) {
          this.state = 'failed';
          this.onFailure(this.lastError);
          return;
        }
        failures++;
        this.state = 'retrying';
        const { firstRetryDelayMs, maxRetryDelayMs } = this.settings;
        await this.delay(Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** (failures - 1)));
      }
    }
  }

  private async follow(onProgress: () => void): Promise<void> {
    this.logState = await this.writer.state();
    const { position } = this.logState;
    const subscription = this.store.subscribeToAll(position >= 0 ? { after: position } : {});
    this.subscription = subscription;
    this.state = 'running';
    // A batch closes at maxBatchEvents or as soon as nothing more is ready: no time limit, since a
    // live event closes its batch at once anyway.
    for await (const batch of readBatches(subscription, {
      maxEvents: this.settings.maxBatchEvents,
      maxDelayMs: Infinity,
    })) {
      if (this.stopping) return;
      this.logState = await this.writer.appendEvents(batch);
      this.lastError = undefined;
      onProgress();
    }
    if (!this.stopping) throw new Error('The event subscription ended');
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cancelDelay = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
