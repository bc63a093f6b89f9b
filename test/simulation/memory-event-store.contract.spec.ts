import { WrongExpectedRevisionError } from '@salur/event-store';
import { describeEventStoreContract } from '../event-store/contract';
import { MemoryEventStore } from '../../tools/simulate/memory-event-store';

// One store for the whole suite, as the SQL adapters share one database across their tests.
let shared: MemoryEventStore | undefined;

describeEventStoreContract('memory (the simulation store)', {
  open: async (limits) => {
    // The byte-limit test asks for a store with its own limits; the rest share one.
    if (limits) return new MemoryEventStore({ limits });
    shared ??= new MemoryEventStore();
    return shared;
  },
});

describe('memory store: appendMany', () => {
  it('writes every part or none: a conflict in one part leaves the others unwritten', async () => {
    const store = new MemoryEventStore();
    const event = (id: string) => ({ id, type: 'Noted', data: {} });
    await store.append('taken', [event('00000000-0000-4000-8000-000000000001')]);

    const attempt = store.appendMany([
      {
        streamName: 'fresh',
        events: [event('00000000-0000-4000-8000-000000000002')],
        options: { expectedRevision: 'no_stream' },
      },
      {
        streamName: 'taken',
        events: [event('00000000-0000-4000-8000-000000000003')],
        options: { expectedRevision: 'no_stream' },
      },
    ]);

    await expect(attempt).rejects.toThrow(WrongExpectedRevisionError);
    expect(store.size).toBe(1);
    await store.appendMany([
      {
        streamName: 'fresh',
        events: [event('00000000-0000-4000-8000-000000000002')],
        options: { expectedRevision: 'no_stream' },
      },
    ]);
    expect(store.size).toBe(2);
  });
});
