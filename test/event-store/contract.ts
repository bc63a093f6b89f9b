import { randomUUID } from 'node:crypto';
import {
  AppendLimits,
  AppendTooLargeError,
  DEFAULT_APPEND_LIMITS,
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@salur/event-store';

/**
 * The semantics every event-store adapter must share. Each adapter's spec calls this with a
 * factory; the suite never looks at the adapter's internals, only at what the port returns.
 * Streams are unique per test, so the suite also runs against a shared, non-empty store.
 */
export interface ContractTarget {
  /** A store over the adapter's one database for this run; the suite closes what it opens. */
  open(limits?: AppendLimits): Promise<EventStore>;
}

export function describeEventStoreContract(adapterName: string, target: ContractTarget): void {
  describe(`event store contract: ${adapterName}`, () => {
    let store: EventStore;

    beforeAll(async () => {
      store = await target.open();
    });

    afterAll(async () => {
      await store?.close();
    });

    describe('append and read back', () => {
      it('records events with gapless revisions, increasing positions and the data as given', async () => {
        const stream = uniqueStream('recorded');
        const events = [event('Opened', { amountRupiah: '600000.00', nik: '9171015203850003' }), event('Closed')];
        const result = await store.append(stream, events, { expectedRevision: 'no_stream' });
        const read = await collect(store.readStream(stream));

        expect(result.nextExpectedRevision).toBe(1);
        expect(read.map((recorded) => [recorded.id, recorded.type, recorded.revision, recorded.streamName])).toEqual([
          [events[0].id, 'Opened', 0, stream],
          [events[1].id, 'Closed', 1, stream],
        ]);
        expect(read[0].data).toEqual({ amountRupiah: '600000.00', nik: '9171015203850003' });
        expect(read[0].metadata).toEqual(events[0].metadata);
        expect(read[1].position).toBeGreaterThan(read[0].position);
        expect(result.position).toBe(read[1].position);
        expect(new Date(read[0].recordedAt).toISOString()).toBe(read[0].recordedAt);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await collect(store.readStream(uniqueStream('missing')))).toEqual([]);
      });

      it('reads a 10,000-event stream forwards and backwards, whole and in part', async () => {
        const stream = uniqueStream('long');
        let expectedRevision: number | 'no_stream' = 'no_stream';
        for (let chunk = 0; chunk < 10; chunk++) {
          const events = Array.from({ length: 1_000 }, (_, index) => event('Counted', { n: chunk * 1_000 + index }));
          expectedRevision = (await store.append(stream, events, { expectedRevision })).nextExpectedRevision;
        }
        const forwards = await collect(store.readStream(stream));
        const backwards = await collect(store.readStream(stream, { direction: 'backwards' }));
        const middle = await collect(store.readStream(stream, { fromRevision: 4_999, maxCount: 1_500 }));
        const tail = await collect(store.readStream(stream, { direction: 'backwards', fromRevision: 20, maxCount: 5 }));

        expect(forwards.map((recorded) => recorded.revision)).toEqual(range(0, 10_000));
        expect(forwards.map((recorded) => recorded.data.n)).toEqual(range(0, 10_000));
        expect(backwards.map((recorded) => recorded.revision)).toEqual(range(0, 10_000).reverse());
        expect(middle.map((recorded) => recorded.revision)).toEqual(range(4_999, 6_499));
        expect(tail.map((recorded) => recorded.revision)).toEqual([20, 19, 18, 17, 16]);
      });

      it('reads the global log forwards after a position and backwards before one', async () => {
        const start = await store.headPosition();
        const stream = uniqueStream('global');
        const events = Array.from({ length: 5 }, (_, n) => event('Logged', { n }));
        for (const one of events) await store.append(stream, [one]);

        const forwards = await collect(store.readAll({ from: start }));
        const lastTwo = await collect(store.readAll({ direction: 'backwards', maxCount: 2 }));
        const afterSecond = await collect(store.readAll({ from: forwards[1].position, maxCount: 2 }));

        expect(forwards.map((recorded) => recorded.id)).toEqual(events.map((one) => one.id));
        expect(lastTwo.map((recorded) => recorded.id)).toEqual([events[4].id, events[3].id]);
        expect(afterSecond.map((recorded) => recorded.id)).toEqual([events[2].id, events[3].id]);
        expect(await store.headPosition()).toBe(forwards[4].position);
      });
    });

    describe('optimistic concurrency', () => {
      it.each([
        ['no_stream on an existing stream', 'no_stream' as const],
        ['a revision behind the stream', 0],
        ['a revision ahead of the stream', 5],
      ])('refuses %s with the typed conflict and writes nothing', async (_, expectedRevision) => {
        const stream = uniqueStream('conflict');
        await store.append(stream, [event('A'), event('B')], { expectedRevision: 'no_stream' });
        const head = await store.headPosition();

        const attempt = store.append(stream, [event('C')], { expectedRevision });

        await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(attempt).rejects.toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamName: stream });
        expect(await countStream(store, stream)).toBe(2);
        expect(await store.headPosition()).toBe(head);
      });

      it('refuses stream_exists on a missing stream and writes nothing', async () => {
        const stream = uniqueStream('exists');
        await expect(store.append(stream, [event('A')], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await countStream(store, stream)).toBe(0);
      });

      it('accepts the exact revision, stream_exists and any', async () => {
        const stream = uniqueStream('accepts');
        await store.append(stream, [event('A')], { expectedRevision: 'no_stream' });
        expect((await store.append(stream, [event('B')], { expectedRevision: 0 })).nextExpectedRevision).toBe(1);
        expect(
          (await store.append(stream, [event('C')], { expectedRevision: 'stream_exists' })).nextExpectedRevision,
        ).toBe(2);
        expect((await store.append(stream, [event('D')], { expectedRevision: 'any' })).nextExpectedRevision).toBe(3);
      });

      it('lets exactly one of two racing appends at the same revision win', async () => {
        const stream = uniqueStream('race');
        await store.append(stream, [event('Opened')], { expectedRevision: 'no_stream' });
        const racers = [1, 2].map((writer) => Array.from({ length: 50 }, () => event('Raced', { writer })));

        const outcomes = await Promise.allSettled(
          racers.map((events) => store.append(stream, events, { expectedRevision: 0 })),
        );

        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect((losers[0] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        const written = (await collect(store.readStream(stream))).slice(1);
        expect(written).toHaveLength(50);
        expect(new Set(written.map((recorded) => recorded.data.writer)).size).toBe(1);
      });
    });

    describe('idempotent retry', () => {
      it.each([
        ['no_stream', 'no_stream' as const],
        ['any', 'any' as const],
      ])('a retried append with %s succeeds and writes nothing', async (_, expectedRevision) => {
        const stream = uniqueStream('retry');
        const events = [event('A'), event('B'), event('C')];
        const first = await store.append(stream, events, { expectedRevision });
        const head = await store.headPosition();

        const again = await store.append(stream, events, { expectedRevision });

        expect(again).toEqual(first);
        expect(await countStream(store, stream)).toBe(3);
        expect(await store.headPosition()).toBe(head);
      });

      it('a retried append at an exact revision succeeds even after later appends, and writes nothing', async () => {
        const stream = uniqueStream('retry-exact');
        await store.append(stream, [event('A')], { expectedRevision: 'no_stream' });
        const events = [event('B'), event('C')];
        const first = await store.append(stream, events, { expectedRevision: 0 });
        await store.append(stream, [event('D')], { expectedRevision: 2 });

        const again = await store.append(stream, events, { expectedRevision: 0 });

        expect(again).toEqual(first);
        expect(await countStream(store, stream)).toBe(4);
      });

      it('an append whose ids only partly match what is stored is a conflict', async () => {
        const stream = uniqueStream('retry-partial');
        const [a, b] = [event('A'), event('B')];
        await store.append(stream, [a, b], { expectedRevision: 'no_stream' });

        await expect(store.append(stream, [a, event('X')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await countStream(store, stream)).toBe(2);
      });
    });

    describe('atomic multi-event appends', () => {
      it('never interleaves the events of concurrent appends to one stream', async () => {
        const stream = uniqueStream('atomic');
        const appends = Array.from({ length: 8 }, (_, writer) =>
          Array.from({ length: 25 }, (__, n) => event('Part', { writer, n })),
        );

        await Promise.all(appends.map((events) => store.append(stream, events, { expectedRevision: 'any' })));

        const read = await collect(store.readStream(stream));
        expect(read).toHaveLength(200);
        for (let start = 0; start < 200; start += 25) {
          const slice = read.slice(start, start + 25);
          expect(new Set(slice.map((recorded) => recorded.data.writer)).size).toBe(1);
          expect(slice.map((recorded) => recorded.data.n)).toEqual(range(0, 25));
        }
      });
    });

    describe('global order', () => {
      it('keeps one total order under 4 concurrent writers: nothing lost, duplicated or skipped by a tailing reader', async () => {
        const start = await store.headPosition();
        const appendsPerWriter = 60;
        const tail = store.subscribeToAll({ after: start });
        const delivered: RecordedEvent[] = [];
        const total = 4 * appendsPerWriter * 2;
        const tailing = (async () => {
          for await (const recorded of tail) {
            delivered.push(recorded);
            if (delivered.length === total) break;
          }
        })();

        const written = await Promise.all(
          range(0, 4).map(async (writer) => {
            const ids: string[] = [];
            for (let n = 0; n < appendsPerWriter; n++) {
              const events = [event('Paid', { writer, n }), event('Noted', { writer, n })];
              await store.append(uniqueStream(`writer-${writer}`), events, { expectedRevision: 'no_stream' });
              ids.push(...events.map((one) => one.id));
            }
            return ids;
          }),
        );
        await withTimeout(tailing, 30_000, 'the tailing subscription did not receive every event');
        await tail.close();

        const log = await collect(store.readAll({ from: start }));
        const positions = log.map((recorded) => recorded.position);
        expect(log).toHaveLength(total);
        expect(positions).toEqual([...positions].sort((left, right) => left - right));
        expect(new Set(positions).size).toBe(total);
        expect(new Set(log.map((recorded) => recorded.id))).toEqual(new Set(written.flat()));
        expect(delivered.map((recorded) => recorded.id)).toEqual(log.map((recorded) => recorded.id));
      });
    });

    describe('catch-up subscription', () => {
      it('delivers every later event once and in order, then live events', async () => {
        const stream = uniqueStream('subscribed');
        const before = event('Before');
        await store.append(stream, [before]);
        const start = (await store.headPosition())!;
        const past = [event('Past1'), event('Past2'), event('Past3')];
        await store.append(stream, past);

        const subscription = store.subscribeToAll({ after: start });
        const received: RecordedEvent[] = [];
        const live = [event('Live1'), event('Live2')];
        const consuming = (async () => {
          for await (const recorded of subscription) {
            received.push(recorded);
            if (received.length === past.length) {
              // Caught up: what is appended from now on must arrive live.
              await store.append(stream, live);
            }
            if (received.length === past.length + live.length) break;
          }
        })();
        await withTimeout(consuming, 20_000, 'live events were not delivered');
        await subscription.close();

        expect(received.map((recorded) => recorded.id)).toEqual([...past, ...live].map((one) => one.id));
        expect(received.map((recorded) => recorded.revision)).toEqual([1, 2, 3, 4, 5]);
      });

      it('ends an idle iteration when closed', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        const iteration = (async () => {
          const seen: RecordedEvent[] = [];
          for await (const recorded of subscription) seen.push(recorded);
          return seen;
        })();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await subscription.close();
        await expect(withTimeout(iteration, 10_000, 'close did not end the iteration')).resolves.toEqual([]);
      });
    });

    describe('bounded sizes', () => {
      it('refuses an append over the byte limit with a clear error and writes nothing', async () => {
        const limited = await target.open({ ...DEFAULT_APPEND_LIMITS, maxAppendBytes: 4_096 });
        try {
          const stream = uniqueStream('large');
          const attempt = limited.append(stream, [event('Small'), event('Large', { blob: 'x'.repeat(5_000) })]);

          await expect(attempt).rejects.toBeInstanceOf(AppendTooLargeError);
          await expect(attempt).rejects.toThrow(/over the limit of 4096 bytes/);
          expect(await countStream(limited, stream)).toBe(0);
          await limited.append(stream, [event('Small', { blob: 'x'.repeat(1_000) })]);
          expect(await countStream(limited, stream)).toBe(1);
        } finally {
          await limited.close();
        }
      });
    });
  });
}

export function event(type: string, data: Record<string, unknown> = {}): NewEvent {
  return { id: randomUUID(), type, data, metadata: { actor: { userId: 'contract-suite', role: 'admin' } } };
}

export function uniqueStream(prefix: string): string {
  return `contract-${prefix}-${randomUUID()}`;
}

export async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const collected: RecordedEvent[] = [];
  for await (const recorded of events) collected.push(recorded);
  return collected;
}

async function countStream(store: EventStore, stream: string): Promise<number> {
  return (await collect(store.readStream(stream))).length;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
