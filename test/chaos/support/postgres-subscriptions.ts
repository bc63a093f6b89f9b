import type { EventStore, GlobalPosition, RecordedEvent } from '@salur/event-store';

/** The connection string with this application_name, so the killer can find its backends. */
export function withApplicationName(connectionString: string, applicationName: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

/**
 * The connection string of a session that does not wait for its commits to reach the disk: only
 * for seeding a test's log quickly (a crash would lose the seed, never a test's verdict).
 */
export function withoutSynchronousCommit(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

export interface LiveCollector {
  /** Everything delivered so far, in delivery order. */
  events(): readonly RecordedEvent[];
  /** Resolves once an event at or past `position` was delivered; rejects if the subscription died. */
  reached(position: GlobalPosition): Promise<void>;
  close(): Promise<void>;
}

interface Waiter {
  readonly position: GlobalPosition;
  resolve(): void;
  reject(error: unknown): void;
}

/** Follows the store's catch-up subscription from the start of the log and keeps what it delivers. */
export function collectLive(store: EventStore): LiveCollector {
  const subscription = store.subscribeToAll();
  const delivered: RecordedEvent[] = [];
  let waiters: Waiter[] = [];
  let failure: { error: unknown } | undefined;
  const last = () => delivered[delivered.length - 1]?.position ?? 0;
  const following = (async () => {
    try {
      for await (const event of subscription) {
        delivered.push(event);
        const [reached, waiting] = [waiters.filter((w) => w.position <= event.position), waiters];
        waiters = waiting.filter((w) => w.position > event.position);
        for (const waiter of reached) waiter.resolve();
      }
    } catch (error) {
      failure = { error };
      for (const waiter of waiters) waiter.reject(error);
      waiters = [];
    }
  })();
  return {
    events: () => delivered,
    reached(position) {
      if (failure !== undefined) return Promise.reject(failure.error);
      if (last() >= position) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ position, resolve, reject }));
    },
    async close() {
      await subscription.close();
      await following;
    },
  };
}
