import type { EventStore, ReadAllOptions, RecordedEvent } from '@salur/event-store';
import { recordedEvents } from '../testing';
import { positionAt } from './position-at';

/** A log with gaps in its positions (a rolled-back append leaves one in PostgreSQL), read as the port reads it. */
function storeOf(events: RecordedEvent[]): EventStore {
  return {
    headPosition: async () => events[events.length - 1]?.position,
    async *readAll(options: ReadAllOptions = {}) {
      const after = options.from ?? -1;
      yield* events.filter((event) => event.position > after).slice(0, options.maxCount ?? events.length);
    },
  } as unknown as EventStore;
}

const at = (second: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, second)).toISOString();

describe('the position of an instant', () => {
  const events = recordedEvents(Array.from({ length: 40 }, () => ({ type: 'Noticed', data: {} })))
    .filter((event) => event.position % 7 !== 0)
    .map((event) => ({ ...event, recordedAt: at(Math.floor(event.position / 3)) }));
  const store = storeOf(events);

  it('is the last event recorded at or before it', async () => {
    for (const second of [0, 1, 5, 9, 13]) {
      const expected = events.filter((event) => event.recordedAt <= at(second)).pop()?.position;
      expect({ second, position: await positionAt(store, at(second)) }).toEqual({ second, position: expected });
    }
  });

  it('is undefined before the first event, the head after the last', async () => {
    expect(await positionAt(store, '2026-10-01T00:00:00.000Z')).toBeUndefined();
    expect(await positionAt(store, '2027-01-01T00:00:00.000Z')).toBe(events[events.length - 1].position);
    expect(await positionAt(storeOf([]), at(0))).toBeUndefined();
  });
});
