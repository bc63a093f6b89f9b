import { EventStore, SqliteEventStore, WrongExpectedRevisionError } from '@salur/event-store';
import { Decider, DomainEvent, eventRegistry, ruleBroken } from '@salur/kernel';
import { handleCommand, loadStream, MAX_COMMAND_ATTEMPTS } from './handle-command';

type Added = DomainEvent<'Added', { amount: number }>;
type Add = { type: 'Add'; amount: number; limit: number };
const counter: Decider<Add, number, Added> = {
  initialState: 0,
  events: eventRegistry<Added>({ Added: true }),
  evolve: (total, event) => total + event.data.amount,
  decide: (command, total) => {
    if (total + command.amount > command.limit) throw ruleBroken('LIMIT', 'over the limit');
    return command.amount === 0 ? [] : [{ type: 'Added', data: { amount: command.amount } }];
  },
};
const metadata = { actor: { userId: 'test', role: 'admin' } };

describe('handleCommand', () => {
  let store: EventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('appends the decided events with the metadata and reports the new revision and position', async () => {
    const outcome = await handleCommand(
      store,
      'counter-1',
      counter,
      { type: 'Add', amount: 2, limit: 10 },
      { metadata },
    );
    const [recorded] = await collect(store);
    expect(outcome).toMatchObject({ state: 2, revision: 0, position: recorded.position });
    expect(recorded.metadata).toEqual(metadata);
  });

  it('writes nothing when the decision is empty (an idempotent retry)', async () => {
    const outcome = await handleCommand(
      store,
      'counter-1',
      counter,
      { type: 'Add', amount: 0, limit: 10 },
      { metadata },
    );
    expect(outcome).toEqual({ events: [], state: 0, revision: -1, position: undefined });
    expect(await store.headPosition()).toBeUndefined();
  });

  it('decides again on the fresher state when another writer won the race, so the rule holds', async () => {
    // 10 concurrent commands of 3 against a limit of 10: exactly 3 may pass.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        handleCommand(store, 'counter-1', counter, { type: 'Add', amount: 3, limit: 10 }, { metadata }),
      ),
    );
    const { state } = await loadStream(store, 'counter-1', counter);
    expect(state).toBe(9);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
  });

  it('runs beforeAppend before the append, on every attempt', async () => {
    const seen: number[] = [];
    await handleCommand(
      store,
      'counter-1',
      counter,
      { type: 'Add', amount: 1, limit: 10 },
      {
        metadata,
        beforeAppend: async (_events, state) => {
          seen.push(state);
          if (seen.length === 1)
            await store.append('counter-1', [{ id: crypto.randomUUID(), type: 'Added', data: { amount: 5 } }]);
        },
      },
    );
    expect(seen).toEqual([0, 5]);
    expect((await loadStream(store, 'counter-1', counter)).state).toBe(6);
  });

  // Skipping it would fold the stream into a wrong state and decide on that: a bug, so it stops.
  it('refuses to fold an event its decider does not list', async () => {
    await store.append('counter-1', [{ id: crypto.randomUUID(), type: 'Added', data: { amount: 1 } }]);
    await store.append('counter-1', [{ id: crypto.randomUUID(), type: 'Subtracted', data: { amount: 1 } }]);
    await expect(loadStream(store, 'counter-1', counter)).rejects.toThrow(
      /counter-1 holds a Subtracted event at revision 1 that its registry does not list/,
    );
  });

  it(`gives up after ${MAX_COMMAND_ATTEMPTS} lost races with the conflict error`, async () => {
    const attempt = handleCommand(
      store,
      'counter-1',
      counter,
      { type: 'Add', amount: 1, limit: 1_000 },
      {
        metadata,
        beforeAppend: async () => {
          await store.append('counter-1', [{ id: crypto.randomUUID(), type: 'Added', data: { amount: 1 } }]);
        },
      },
    );
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  });
});

async function collect(store: EventStore) {
  const events = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
