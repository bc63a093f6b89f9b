import { DependencyUnavailableError } from '@salur/config';
import {
  DEFAULT_APPEND_LIMITS,
  EventStore,
  EventStoreConfig,
  EventStoreDbEventStore,
  openEventStore,
} from '@salur/event-store';
import { EventStoreDbDouble } from '../support/esdb-double';
import { collect, event, uniqueStream } from './contract';

export interface DoubleCheckTarget {
  readonly client: NonNullable<EventStoreConfig['eventStoreDbClient']>;
  /** The double the spec started; read once its beforeAll has run. */
  double(): EventStoreDbDouble;
}

/**
 * What only the EventStoreDB adapter can get wrong, and only the double can observe; run by the
 * spec of each client package (one package per spec file: both cannot load in one process).
 */
export function describeEventStoreDbDoubleChecks(target: DoubleCheckTarget): void {
  describe(`eventstoredb adapter (EVENTSTOREDB_CLIENT=${target.client}) over the double, beyond the contract`, () => {
    let store: EventStore;

    beforeEach(async () => {
      store = await EventStoreDbEventStore.connect({
        connectionString: target.double().connectionString,
        client: target.client,
      });
    });

    afterEach(async () => {
      await store?.close();
    });

    it('leaves no read open when a caller stops early, so close() returns', async () => {
      // Far more than HTTP/2 flow control lets the server push ahead of an idle reader.
      const stream = uniqueStream('early-stop');
      for (let chunk = 0; chunk < 3; chunk++) {
        await store.append(
          stream,
          Array.from({ length: 1_000 }, (_, n) => event('Bulk', { n, padding: 'x'.repeat(200) })),
        );
      }

      await store.headPosition();
      await collect(store.readAll({ direction: 'backwards', maxCount: 3 }));
      for await (const recorded of store.readStream(stream)) if (recorded) break;
      for await (const recorded of store.readAll()) if (recorded) break;

      expect(target.double().openReadCalls()).toBe(0);
      await expect(withTimeout(store.close(), 5_000)).resolves.toBeUndefined();
    });

    it('ends the subscription call when a consumer leaves the loop without close()', async () => {
      const subscription = store.subscribeToAll({ after: await store.headPosition() });
      await store.append(uniqueStream('left'), [event('Seen')]);
      for await (const recorded of subscription) if (recorded) break;

      await eventually(() => expect(target.double().openReadCalls()).toBe(0));
    });

    it('keeps system events out of reads, counts and the head position', async () => {
      const stream = uniqueStream('system');
      const first = event('First');
      const second = event('Second');
      await store.append(stream, [first]);
      target.double().appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      const [recordedFirst] = await collect(store.readStream(stream));

      expect(await store.headPosition()).toBe(recordedFirst.position);
      await store.append(stream, [second]);
      target.double().appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');

      const after = await collect(store.readAll({ from: recordedFirst.position }));
      const lastTwo = await collect(store.readAll({ direction: 'backwards', maxCount: 2 }));
      expect(after.map((recorded) => recorded.id)).toEqual([second.id]);
      expect(lastTwo.map((recorded) => recorded.id)).toEqual([second.id, first.id]);
    });

    // recordedAt is hashed into audit-log leaves, so every client must read the server's time alike
    // (@kurrent/bridge's reads round it down to the second).
    it('reads recordedAt to the millisecond from a stream, $all and a subscription', async () => {
      const before = Date.now();
      const start = await store.headPosition();
      const stream = uniqueStream('recorded-at');
      await store.append(stream, [event('Timed')]);
      const after = Date.now();

      const [fromStream] = await collect(store.readStream(stream));
      const [fromAll] = await collect(store.readAll({ direction: 'backwards', maxCount: 1 }));
      const subscription = store.subscribeToAll({ after: start });
      let fromSubscription = '';
      for await (const recorded of subscription) {
        fromSubscription = recorded.recordedAt;
        break;
      }

      expect(Date.parse(fromStream.recordedAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(fromStream.recordedAt)).toBeLessThanOrEqual(after);
      expect([fromAll.recordedAt, fromSubscription]).toEqual([fromStream.recordedAt, fromStream.recordedAt]);
    });

    it('reports a server that does not answer as the event store being unavailable', async () => {
      const config: EventStoreConfig = {
        adapter: 'eventstoredb',
        sqlitePath: '',
        postgresUrl: '',
        // Port 1 on this host refuses every connection at once.
        eventStoreDbUrl: 'esdb://127.0.0.1:1?tls=false',
        eventStoreDbClient: target.client,
        limits: DEFAULT_APPEND_LIMITS,
        startupWaitMs: 0,
      };

      const opening = openEventStore(config);

      await expect(opening).rejects.toBeInstanceOf(DependencyUnavailableError);
      await expect(opening).rejects.toMatchObject({ dependency: 'event-store' });
    });
  });
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function eventually(assertion: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
