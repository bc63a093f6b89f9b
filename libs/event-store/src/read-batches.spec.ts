import type { EventSubscription, RecordedEvent } from './event-store.port';
import { readBatches } from './read-batches';

/** A subscription fed by the test: events pushed are ready at once, otherwise it waits. */
class FakeSubscription implements EventSubscription {
  closed = false;
  private readonly queue: RecordedEvent[] = [];
  private wake: (() => void) | undefined;

  push(events: RecordedEvent[]): void {
    this.queue.push(...events);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    while (!this.closed) {
      const next = this.queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }
}

const some = (count: number, first = 1): RecordedEvent[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `00000000-0000-4000-8000-${String(first + index).padStart(12, '0')}`,
    type: 'Happened',
    streamName: 'other',
    revision: index,
    position: first + index,
    recordedAt: '2026-01-01T00:00:00.000Z',
    data: { index },
    metadata: {},
  }));

describe('reading a subscription in batches', () => {
  it('fills batches up to the limit from what is ready, then closes the last one when nothing more is', async () => {
    const subscription = new FakeSubscription();
    subscription.push(some(12));
    const batches = readBatches(subscription, { maxEvents: 5, maxDelayMs: 10_000 });
    const sizes: number[] = [];
    for await (const batch of batches) {
      sizes.push(batch.length);
      if (sizes.reduce((sum, size) => sum + size, 0) === 12) break;
    }
    expect(sizes).toEqual([5, 5, 2]);
    expect(subscription.closed).toBe(true);
  });

  it('delivers a live event at once, without waiting for the batch delay', async () => {
    const subscription = new FakeSubscription();
    const batches = readBatches(subscription, { maxEvents: 500, maxDelayMs: 60_000 });
    const first = batches.next();
    setTimeout(() => subscription.push(some(1)), 5);
    const started = Date.now();
    expect((await first).value).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    await batches.return(undefined);
  });

  it('ends when the subscription is closed, and closing the batches closes the subscription', async () => {
    const subscription = new FakeSubscription();
    const batches = readBatches(subscription, { maxEvents: 500, maxDelayMs: 50 });
    const pending = batches.next();
    await subscription.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
