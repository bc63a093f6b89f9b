import { DependencyUnavailableError } from '@salur/config';
import { guardAvailability } from './availability-guard';
import type { EventStore, RecordedEvent } from './event-store.port';
import { WrongExpectedRevisionError } from './errors';
import { UNREACHABLE } from './unreachable';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function failingStore(error: unknown): EventStore {
  const failing = async function* (): AsyncIterable<RecordedEvent> {
    yield* [];
    throw error;
  };
  return {
    adapter: 'postgres',
    append: () => Promise.reject(error),
    readStream: () => failing(),
    readAll: () => failing(),
    subscribeToAll: () => ({
      [Symbol.asyncIterator]: () => failing()[Symbol.asyncIterator](),
      close: async () => undefined,
    }),
    headPosition: () => Promise.reject(error),
    ping: () => Promise.reject(error),
    close: async () => undefined,
  };
}

async function drain(events: AsyncIterable<RecordedEvent>): Promise<void> {
  for await (const event of events) void event;
}

describe('guardAvailability', () => {
  const store = guardAvailability(failingStore(refused), UNREACHABLE.postgres);

  it.each([
    ['append', () => store.append('s', [])],
    ['headPosition', () => store.headPosition()],
    ['ping', () => store.ping()],
    ['readStream', () => drain(store.readStream('s'))],
    ['readAll', () => drain(store.readAll())],
    ['a subscription', () => drain(store.subscribeToAll())],
  ])('turns an unreachable server in %s into EVENT_STORE_UNAVAILABLE with the driver reason', async (_, call) => {
    const failure = call();

    await expect(failure).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(failure).rejects.toMatchObject({
      code: 'EVENT_STORE_UNAVAILABLE',
      dependency: 'event-store',
      reason: 'postgres: connect ECONNREFUSED 127.0.0.1:5432',
    });
  });

  it('lets every other failure through as it is', async () => {
    const conflict = new WrongExpectedRevisionError('s', 0, 3);
    const guarded = guardAvailability(failingStore(conflict), UNREACHABLE.postgres);

    await expect(guarded.append('s', [])).rejects.toBe(conflict);
    await expect(drain(guarded.readAll())).rejects.toBe(conflict);
  });

  it('never calls the embedded SQLite file unreachable', () => {
    expect(UNREACHABLE.sqlite(refused)).toBe(false);
  });
});
