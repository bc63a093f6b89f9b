import type { RecordedEvent } from '@salur/event-store';
import { recordedEvents } from '../testing';
import { applyPlan, planBatch, StoredRow } from './apply-events';
import { type Projection, readModel, type ReadModelRow } from './projection';

type CounterRow = { readonly id: string; readonly count: number };

/** Counts events per stream, and forgets a stream on a 'Forgotten' event. */
const counters = readModel<CounterRow>({
  table: 'counters',
  rowIdsOf: (event) => (event.type === 'Ignored' ? [] : [String(event.data.key)]),
  evolve: (row, event, id) => {
    if (event.type === 'Forgotten') return undefined;
    if (event.type === 'Noticed') return row;
    return { id, count: (row?.count ?? 0) + 1 };
  },
});
const projection: Projection = { name: 'counters', readModels: [counters], migrations: {} };

const events = (types: string[], firstPosition = 1): RecordedEvent[] =>
  recordedEvents(
    types.map((type, index) => ({ type, data: { key: index % 2 === 0 ? 'a' : 'b' } })),
    firstPosition,
  );

const apply = (batch: RecordedEvent[], loaded: Map<string, StoredRow> = new Map()) => {
  const [plan] = planBatch(projection, batch);
  return applyPlan(plan, loaded);
};

describe('applying a batch of events to loaded rows', () => {
  it('plans only the rows the events touch', () => {
    const [plan] = planBatch(projection, events(['Counted', 'Ignored', 'Counted']));
    expect([...plan.rowIds]).toEqual(['a']);
    expect(plan.touches.map((touch) => touch.event.position)).toEqual([1, 3]);
  });

  it('folds several events into one row and keeps the position of the last', () => {
    const writes = apply(events(['Counted', 'Counted', 'Counted']));
    expect(writes.upserts).toEqual([
      { row: { id: 'a', count: 2 }, lastPosition: 3 },
      { row: { id: 'b', count: 1 }, lastPosition: 2 },
    ]);
  });

  it('skips events a row has already seen, so a replay changes nothing', () => {
    const loaded = new Map<string, StoredRow>([['a', { row: { id: 'a', count: 5 } as ReadModelRow, lastPosition: 3 }]]);
    expect(apply(events(['Counted', 'Noticed', 'Counted']), loaded).upserts).toEqual([]);
    expect(apply(events(['Counted'], 4), loaded).upserts).toEqual([{ row: { id: 'a', count: 6 }, lastPosition: 4 }]);
  });

  it('writes nothing for an unchanged row, deletes a removed one', () => {
    const loaded = new Map<string, StoredRow>([['a', { row: { id: 'a', count: 1 } as ReadModelRow, lastPosition: 1 }]]);
    expect(apply(events(['Noticed'], 7), loaded)).toEqual({ table: 'counters', upserts: [], deletes: [] });
    expect(apply(events(['Forgotten'], 7), loaded)).toEqual({ table: 'counters', upserts: [], deletes: ['a'] });
    // Created and removed within one batch: never written at all.
    expect(apply(events(['Counted', 'Ignored', 'Forgotten']))).toEqual({ table: 'counters', upserts: [], deletes: [] });
  });

  it('treats a row returned under another id as a bug', () => {
    const wrong = readModel<CounterRow>({ ...counters, evolve: () => ({ id: 'other', count: 1 }) });
    const [plan] = planBatch({ ...projection, readModels: [wrong] }, events(['Counted']));
    expect(() => applyPlan(plan, new Map())).toThrow("counters: evolve for row 'a' returned row 'other' (Counted)");
  });
});
