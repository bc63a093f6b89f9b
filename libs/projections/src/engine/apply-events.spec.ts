import type { RecordedEvent } from '@salur/event-store';
import { recordedEvents } from '../testing';
import { foldBatch, foldWithLoads, KnownRows, StoredRow } from './apply-events';
import { projectInMemory } from './project-in-memory';
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

const known = (rows: Record<string, Record<string, StoredRow | null>>): KnownRows =>
  new Map(Object.entries(rows).map(([table, byId]) => [table, new Map(Object.entries(byId))]));

const apply = (batch: RecordedEvent[], loaded: Record<string, StoredRow | null> = {}) => {
  const ids = new Set(batch.filter((event) => event.type !== 'Ignored').map((event) => String(event.data.key)));
  const given: Record<string, StoredRow | null> = Object.fromEntries([...ids].map((id) => [id, null]));
  const result = foldBatch(projection, batch, known({ counters: { ...given, ...loaded } }));
  expect(result.missing.size).toBe(0);
  return result.writes[0] ?? { table: 'counters', upserts: [], deletes: [] };
};

describe('folding a batch of events into loaded rows', () => {
  it('reports the rows it needs and has not been given, and folds once they are loaded', () => {
    const first = foldBatch(projection, events(['Counted', 'Ignored', 'Counted']), new Map());
    expect(first.missing).toEqual(new Map([['counters', new Set(['a'])]]));
    expect(apply(events(['Counted', 'Ignored', 'Counted'])).upserts).toEqual([
      { row: { id: 'a', count: 2 }, lastPosition: 3 },
    ]);
  });

  it('folds several events into one row and keeps the position of the last', () => {
    const writes = apply(events(['Counted', 'Counted', 'Counted']));
    expect(writes.upserts).toEqual([
      { row: { id: 'a', count: 2 }, lastPosition: 3 },
      { row: { id: 'b', count: 1 }, lastPosition: 2 },
    ]);
  });

  it('skips events a row has already seen, so a replay changes nothing', () => {
    const loaded = { a: { row: { id: 'a', count: 5 } as ReadModelRow, lastPosition: 3 } };
    expect(apply(events(['Counted', 'Noticed', 'Counted']), loaded).upserts).toEqual([]);
    expect(apply(events(['Counted'], 4), loaded).upserts).toEqual([{ row: { id: 'a', count: 6 }, lastPosition: 4 }]);
  });

  it('writes nothing for an unchanged row, deletes a removed one', () => {
    const loaded = { a: { row: { id: 'a', count: 1 } as ReadModelRow, lastPosition: 1 } };
    expect(apply(events(['Noticed'], 7), loaded)).toEqual({ table: 'counters', upserts: [], deletes: [] });
    expect(apply(events(['Forgotten'], 7), loaded)).toEqual({ table: 'counters', upserts: [], deletes: ['a'] });
    // Created and removed within one batch: never written at all.
    expect(apply(events(['Counted', 'Ignored', 'Forgotten']))).toEqual({
      table: 'counters',
      upserts: [],
      deletes: [],
    });
  });

  it('treats a row returned under another id as a bug', () => {
    const wrong = readModel<CounterRow>({ ...counters, evolve: () => ({ id: 'other', count: 1 }) });
    const complete = new Set(['counters']);
    expect(() => foldBatch({ ...projection, readModels: [wrong] }, events(['Counted']), new Map(), complete)).toThrow(
      "counters: evolve for row 'a' returned row 'other' (Counted)",
    );
  });
});

/*
 * Lookups: orders name their customer, later events only the order. A lookup table keeps each
 * order's customer and state; the totals per customer read it before and after each event.
 */
type OrderRow = { readonly id: string; readonly customer: string; readonly state: string; readonly amount: number };
type CustomerRow = { readonly id: string; readonly open: number; readonly paid: number };

const orders = readModel<OrderRow>({
  table: 'orders',
  rowIdsOf: (event) => [String(event.data.order)],
  evolve: (row, event, id) => {
    if (event.type === 'Ordered') {
      return { id, customer: String(event.data.customer), state: 'open', amount: Number(event.data.amount) };
    }
    return row === undefined ? row : { ...row, state: event.type === 'Paid' ? 'paid' : 'open' };
  },
});

const customers = readModel<CustomerRow>({
  table: 'customers',
  lookups: ['orders'],
  rowIdsOf: (event, lookup) => {
    const order = lookup.row<OrderRow>('orders', String(event.data.order));
    return order === undefined ? [] : [order.customer];
  },
  evolve: (row, event, id, lookup) => {
    const before = lookup.before<OrderRow>('orders', String(event.data.order));
    const after = lookup.row<OrderRow>('orders', String(event.data.order));
    const share = (order: OrderRow | undefined, state: string) => (order?.state === state ? order.amount : 0);
    const open = (row?.open ?? 0) + share(after, 'open') - share(before, 'open');
    const paid = (row?.paid ?? 0) + share(after, 'paid') - share(before, 'paid');
    return open === row?.open && paid === row?.paid ? row : { id, open, paid };
  },
});

const shop: Projection = { name: 'shop', readModels: [orders, customers], migrations: {} };

const shopEvents = (firstPosition: number, ...list: Array<[string, Record<string, unknown>]>) =>
  recordedEvents(
    list.map(([type, data]) => ({ type, data })),
    firstPosition,
  );

describe('read models that look up earlier read models of their projection', () => {
  const history = shopEvents(
    1,
    ['Ordered', { order: 'o-1', customer: 'c-1', amount: 10 }],
    ['Ordered', { order: 'o-2', customer: 'c-1', amount: 5 }],
    ['Paid', { order: 'o-1' }],
    ['Reopened', { order: 'o-1' }],
    ['Paid', { order: 'o-2' }],
  );

  it('sees the looked-up row as it is just before and just after each event', () => {
    const tables = projectInMemory(shop, history);
    expect(tables.get('customers')?.get('c-1')).toEqual({ row: { id: 'c-1', open: 10, paid: 5 }, lastPosition: 5 });
  });

  it('gives the same rows whatever the batches, loading the chain of rows pass by pass', async () => {
    const stored = new Map<string, Map<string, StoredRow>>();
    const loadsAsked: string[] = [];
    const load = async (table: string, ids: readonly string[]) => {
      loadsAsked.push(`${table}:${[...ids].sort().join(',')}`);
      const rows = stored.get(table) ?? new Map<string, StoredRow>();
      return new Map(ids.flatMap((id) => (rows.has(id) ? [[id, rows.get(id) as StoredRow] as const] : [])));
    };
    for (const batch of [history.slice(0, 2), history.slice(2, 3), history.slice(3)]) {
      loadsAsked.length = 0;
      for (const { table, upserts } of await foldWithLoads(shop, batch, load)) {
        const rows = stored.get(table) ?? new Map<string, StoredRow>();
        stored.set(table, rows);
        for (const upsert of upserts) rows.set(upsert.row.id, upsert);
      }
    }
    // The last batch first needed the orders, and only then knew which customer to load.
    expect(loadsAsked).toEqual(['orders:o-1,o-2', 'customers:c-1']);
    expect(stored.get('customers')).toEqual(projectInMemory(shop, history).get('customers'));
  });

  it('changes nothing when a batch already applied is replayed', () => {
    const tables = projectInMemory(shop, history);
    const before = JSON.stringify([...tables.entries()].map(([table, rows]) => [table, [...rows.entries()]]));
    projectInMemory(shop, history.slice(1), tables);
    expect(JSON.stringify([...tables.entries()].map(([table, rows]) => [table, [...rows.entries()]]))).toBe(before);
  });

  it('refuses a look-up of a read model listed after the reader, or not listed in its lookups', () => {
    const backwards: Projection = { ...shop, readModels: [customers, orders] };
    expect(() => projectInMemory(backwards, history)).toThrow(
      "shop: customers may look up only read models listed before it, not 'orders'",
    );
    const undeclared: Projection = { ...shop, readModels: [orders, { ...customers, lookups: [] }] };
    expect(() => projectInMemory(undeclared, history)).toThrow(
      "shop: customers looks up 'orders' without listing it in its lookups",
    );
  });

  it('folds each row once the rows are loaded: a pass that misses rows folds only what is looked up', async () => {
    let folds = 0;
    const counted: Projection = {
      ...shop,
      readModels: [orders, { ...customers, evolve: (...args) => (folds++, customers.evolve(...args)) }],
    };
    await foldWithLoads(counted, history, async () => new Map());
    // Three passes (orders, then the customer, then nothing missing); customers folded in the last only.
    expect(folds).toBe(history.length);
  });
});
