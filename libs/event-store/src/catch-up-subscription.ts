import type { EventSubscription, GlobalPosition, RecordedEvent } from './event-store.port';

/**
 * Wakes waiting subscriptions when this process appended, so live events arrive without
 * waiting for the next poll; the poll still catches appends made by other processes.
 */
export class AppendSignal {
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify(), or after timeoutMs, whichever comes first. */
  wait(timeoutMs: number): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(wake, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      wake();
    };
    this.waiters.push(done);
    return {
      promise,
      cancel: () => {
        this.waiters = this.waiters.filter((waiter) => waiter !== done);
        done();
      },
    };
  }
}

export interface CatchUpSource {
  /** Events strictly after `after` (all when undefined), in position order, at most maxCount. */
  readPage(after: GlobalPosition | undefined, maxCount: number): Promise<RecordedEvent[]>;
  readonly signal: AppendSignal;
}

export interface CatchUpSettings {
  readonly pageSize: number;
  readonly pollIntervalMs: number;
}

/**
 * A catch-up subscription over any store whose global log is read in pages: it reads pages
 * until it is caught up, then waits for a signal or the poll interval and reads again.
 * Resuming strictly after the last delivered position gives each event once, in order,
 * provided the store never makes an event visible below a position already read (the SQL
 * adapters guarantee that; see the PostgreSQL adapter).
 */
export class PollingCatchUpSubscription implements EventSubscription {
  private closed = false;
  private pendingWait: { cancel: () => void } | undefined;
  private started = false;

  constructor(
    private readonly source: CatchUpSource,
    private readonly settings: CatchUpSettings,
    private readonly after: GlobalPosition | undefined,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    let after = this.after;
    while (!this.closed) {
      const page = await this.source.readPage(after, this.settings.pageSize);
      for (const event of page) {
        if (this.closed) return;
        yield event;
        after = event.position;
      }
      if (page.length < this.settings.pageSize && !this.closed) {
        const wait = this.source.signal.wait(this.settings.pollIntervalMs);
        this.pendingWait = wait;
        await wait.promise;
        this.pendingWait = undefined;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingWait?.cancel();
  }
}
