import { EventStore, EventStoreDbEventStore } from '@salur/event-store';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../support/esdb-double';
import { collect, describeEventStoreContract, event, uniqueStream } from './contract';

// The real @eventstore/db-client against an in-process gRPC double of the server: proves the
// adapter speaks the protocol as the client and server do; see the double's header for what
// it cannot prove (eventstoredb-live.contract.spec.ts runs the same suite against a server).
let double: EventStoreDbDouble;

beforeAll(async () => {
  double = await startEventStoreDbDouble();
});

afterAll(async () => {
  await double?.stop();
});

describeEventStoreContract('eventstoredb (in-process gRPC double)', {
  open: (limits) => EventStoreDbEventStore.connect({ connectionString: double.connectionString, limits }),
});

// What only this adapter can get wrong, and only the double can observe.
describe('eventstoredb adapter over the double, beyond the contract', () => {
  let store: EventStore;

  beforeEach(async () => {
    store = await EventStoreDbEventStore.connect({ connectionString: double.connectionString });
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

    expect(double.openReadCalls()).toBe(0);
    await expect(withTimeout(store.close(), 5_000)).resolves.toBeUndefined();
  });

  it('ends the subscription call when a consumer leaves the loop without close()', async () => {
    const subscription = store.subscribeToAll({ after: await store.headPosition() });
    await store.append(uniqueStream('left'), [event('Seen')]);
    for await (const recorded of subscription) if (recorded) break;

    await eventually(() => expect(double.openReadCalls()).toBe(0));
  });

  it('keeps system events out of reads, counts and the head position', async () => {
    const stream = uniqueStream('system');
    const first = event('First');
    const second = event('Second');
    await store.append(stream, [first]);
    double.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    const [recordedFirst] = await collect(store.readStream(stream));

    expect(await store.headPosition()).toBe(recordedFirst.position);
    await store.append(stream, [second]);
    double.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');

    const after = await collect(store.readAll({ from: recordedFirst.position }));
    const lastTwo = await collect(store.readAll({ direction: 'backwards', maxCount: 2 }));
    expect(after.map((recorded) => recorded.id)).toEqual([second.id]);
    expect(lastTwo.map((recorded) => recorded.id)).toEqual([second.id, first.id]);
  });
});

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
