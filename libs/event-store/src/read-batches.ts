import type { EventSubscription, RecordedEvent } from './event-store.port';

export interface BatchLimits {
  /** A batch closes when it holds this many events… */
  readonly maxEvents: number;
  /** …or this long after its first event arrived, whichever comes first. */
  readonly maxDelayMs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxEvents: 500, maxDelayMs: 50 };

const STALLED = Symbol('stalled');

/**
 * Groups a subscription's events into batches, one transaction each. Besides the two limits, a
 * batch also closes as soon as the subscription has nothing more ready (its next event needs a
 * read or is not written yet): during a catch-up, batches fill up to `maxEvents` from the pages
 * already read, and a live event is applied at once instead of waiting out `maxDelayMs`.
 * The next event is requested while the consumer applies a batch, so reading overlaps writing.
 * Closing the generator closes the subscription and waits for its read in flight.
 */
export async function* readBatches(
  subscription: EventSubscription,
  limits: BatchLimits,
): AsyncGenerator<RecordedEvent[]> {
  const events = subscription[Symbol.asyncIterator]();
  let pending = requestNext(events);
  try {
    let batch: RecordedEvent[] = [];
    let openedAtMs = 0;
    for (;;) {
      const result = batch.length === 0 ? await pending : await readyOrStalled(pending);
      if (result === STALLED) {
        yield batch;
        batch = [];
        continue;
      }
      if (result.done) {
        if (batch.length > 0) yield batch;
        return;
      }
      pending = requestNext(events);
      if (batch.length === 0) openedAtMs = performance.now();
      batch.push(result.value);
      if (batch.length >= limits.maxEvents || performance.now() - openedAtMs >= limits.maxDelayMs) {
        yield batch;
        batch = [];
      }
    }
  } finally {
    await subscription.close();
    await pending.catch(() => undefined);
  }
}

/** Requests the next event; a failure is kept for whoever awaits it, never left unhandled. */
function requestNext(events: AsyncIterator<RecordedEvent>): Promise<IteratorResult<RecordedEvent>> {
  const next = events.next();
  next.catch(() => undefined);
  return next;
}

/**
 * The event if it is ready now, STALLED if getting it needs I/O. An event the subscription already
 * holds arrives in microtasks, which all run before the setImmediate callback.
 */
function readyOrStalled<T>(pending: Promise<T>): Promise<T | typeof STALLED> {
  return new Promise((resolve, reject) => {
    const stall = setImmediate(() => resolve(STALLED));
    pending.then(
      (value) => {
        clearImmediate(stall);
        resolve(value);
      },
      (error: unknown) => {
        clearImmediate(stall);
        reject(error);
      },
    );
  });
}
