import type { GlobalPosition, RecordedEvent } from '@salur/event-store';
import type { Lookup, Projection, ReadModel, ReadModelRow } from './projection';

/** A row as stored: the read model's columns and the position of the last event applied to it. */
export interface StoredRow {
  readonly row: ReadModelRow;
  readonly lastPosition: GlobalPosition;
}

/** What a batch changes in one table. */
export interface TableWrites {
  readonly table: string;
  readonly upserts: readonly StoredRow[];
  readonly deletes: readonly string[];
  /** An append-only table: insert, and leave a row that already exists as it is. */
  readonly insertOnly?: boolean;
}

/**
 * Rows known before a batch, by table and id: a StoredRow, or null for a row known to be absent.
 * An id a table does not list is unknown: the fold reports it as missing (unless the table is
 * complete, as in memory, where unknown means absent).
 */
export type KnownRows = ReadonlyMap<string, ReadonlyMap<string, StoredRow | null>>;

export interface FoldResult {
  /** Per read model with changes, in the projection's order. Only meaningful when nothing is missing. */
  readonly writes: TableWrites[];
  /** Rows the fold needed and was not given, by table: load them and fold again. */
  readonly missing: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A fold that needs more passes than this has a lookup chain that never settles: a bug. */
export const MAX_FOLD_PASSES = 16;

/**
 * Folds a batch of events into the rows they touch. Pure. Each event is applied to the read
 * models in the projection's order, so a read model's Lookup sees earlier tables as they are
 * right after (and before) the same event, whatever else the batch holds.
 *
 * An event at or below a row's last applied position is skipped: replaying events a row has
 * already seen (a checkpoint rewound by hand, an overlapping rebuild) changes nothing. A deleted
 * row keeps no position, so only the checkpoint protects it from an older replay.
 *
 * Rows are read from `known`. A row that is not there is reported in `missing` and read as absent
 * for the rest of the pass; the caller loads the missing rows and folds again (foldWithLoads), so
 * a lookup chain (payment → beneficiary) needs one pass per link. A table named in `completeTables`
 * has no missing rows: what `known` does not list does not exist.
 */
export function foldBatch(
  projection: Projection,
  events: readonly RecordedEvent[],
  known: KnownRows,
  completeTables: ReadonlySet<string> = new Set(),
): FoldResult {
  const lookedUp = new Set(projection.readModels.flatMap((readModel) => readModel.lookups ?? []));
  const changed = new Map(projection.readModels.map(({ table }) => [table, new Map<string, StoredRow | null>()]));
  const missing = new Map<string, Set<string>>();
  // The rows the current event changed, as they were before it: what Lookup.before answers. An
  // event changes a row or two, so a list searched from the start beats a map built per event.
  const beforeEvent: BeforeEvent[] = [];

  // A rebuild reads a few rows per event from tables of hundreds of thousands: one lookup per map.
  const read = (table: string, id: string): StoredRow | undefined => {
    const inBatch = changed.get(table)?.get(id);
    if (inBatch !== undefined) return inBatch ?? undefined;
    const stored = known.get(table)?.get(id);
    if (stored !== undefined) return stored ?? undefined;
    if (!completeTables.has(table)) {
      const ids = missing.get(table) ?? new Set<string>();
      missing.set(table, ids);
      ids.add(id);
    }
    return undefined;
  };
  const lookups = projection.readModels.map((readModel, index) =>
    lookupFor(projection, readModel, index, read, beforeEvent),
  );

  for (const event of events) {
    beforeEvent.length = 0;
    for (let index = 0; index < projection.readModels.length; index++) {
      const readModel = projection.readModels[index];
      const lookup = lookups[index];
      const rows = changed.get(readModel.table) as Map<string, StoredRow | null>;
      for (const id of readModel.rowIdsOf(event, lookup)) {
        const current = read(readModel.table, id);
        if (current !== undefined && current.lastPosition >= event.position) continue;
        // A pass that misses rows only finds what to load. A row itself still to be loaded is not
        // folded then, unless another read model looks it up: it is folded in a later pass anyway.
        if (missing.size > 0 && missing.get(readModel.table)?.has(id) && !lookedUp.has(readModel.table)) continue;
        const next = readModel.evolve(current?.row, event, id, lookup);
        if (next === current?.row) continue;
        if (next !== undefined && next.id !== id) {
          throw new Error(`${readModel.table}: evolve for row '${id}' returned row '${next.id}' (${event.type})`);
        }
        if (beforeOf(beforeEvent, readModel.table, id) === NOT_CHANGED) {
          beforeEvent.push({ table: readModel.table, id, stored: current });
        }
        rows.set(id, next === undefined ? null : { row: next, lastPosition: event.position });
      }
    }
  }
  return { writes: writesOf(projection, changed, known), missing };
}

/**
 * Rows a fold may start from instead of loading them: a RowCache's (see apply-batch.ts). `known` is
 * added to as rows are loaded; a table in `completeTables` has no rows but those `known` lists.
 */
export interface StartingRows {
  readonly known: Map<string, Map<string, StoredRow | null>>;
  readonly completeTables: ReadonlySet<string>;
}

/**
 * Folds a batch, loading the rows it needs: a first pass finds the rows the events name, each
 * further pass the rows those lead to, until nothing is missing. `load` answers the stored rows
 * among the ids asked (the others do not exist). Rows `start` already knows are not loaded again:
 * when it knows them all, one pass does.
 */
export async function foldWithLoads(
  projection: Projection,
  events: readonly RecordedEvent[],
  load: (table: string, ids: readonly string[]) => Promise<ReadonlyMap<string, StoredRow>>,
  start: StartingRows = { known: new Map(), completeTables: new Set() },
): Promise<TableWrites[]> {
  const { known } = start;
  // An event finds no row of its own in an append-only table (see appendOnly): nothing to read.
  const complete = new Set(start.completeTables);
  for (const { table, appendOnly } of projection.readModels) if (appendOnly) complete.add(table);
  for (let pass = 1; pass <= MAX_FOLD_PASSES; pass++) {
    const { writes, missing } = foldBatch(projection, events, known, complete);
    if (missing.size === 0) return writes;
    for (const [table, ids] of missing) {
      const loaded = await load(table, [...ids]);
      const rows = known.get(table) ?? new Map<string, StoredRow | null>();
      known.set(table, rows);
      for (const id of ids) rows.set(id, loaded.get(id) ?? null);
    }
  }
  throw new Error(`Projection '${projection.name}' still misses rows after ${MAX_FOLD_PASSES} passes over a batch`);
}

/** A row the current event changed, as it was before the event. */
interface BeforeEvent {
  readonly table: string;
  readonly id: string;
  readonly stored: StoredRow | undefined;
}

const NOT_CHANGED = Symbol('not changed by the current event');

function beforeOf(
  changes: readonly BeforeEvent[],
  table: string,
  id: string,
): StoredRow | undefined | typeof NOT_CHANGED {
  for (const change of changes) if (change.id === id && change.table === table) return change.stored;
  return NOT_CHANGED;
}

/** A read model's Lookup for a whole fold: it reads `beforeEvent` as the fold moves from event to event. */
function lookupFor(
  projection: Projection,
  reader: ReadModel,
  readerIndex: number,
  read: (table: string, id: string) => StoredRow | undefined,
  beforeEvent: readonly BeforeEvent[],
): Lookup {
  const earlier = new Set(projection.readModels.slice(0, readerIndex).map(({ table }) => table));
  const allowed = new Set(reader.lookups ?? []);
  const assertAllowed = (table: string) => {
    if (allowed.has(table) && earlier.has(table)) return;
    throw new Error(
      earlier.has(table)
        ? `${projection.name}: ${reader.table} looks up '${table}' without listing it in its lookups`
        : `${projection.name}: ${reader.table} may look up only read models listed before it, not '${table}'`,
    );
  };
  return {
    row<Row extends ReadModelRow>(table: string, id: string) {
      assertAllowed(table);
      return read(table, id)?.row as Row | undefined;
    },
    before<Row extends ReadModelRow>(table: string, id: string) {
      assertAllowed(table);
      const stored = beforeOf(beforeEvent, table, id);
      return (stored === NOT_CHANGED ? read(table, id) : stored)?.row as Row | undefined;
    },
  };
}

function writesOf(
  projection: Projection,
  changed: ReadonlyMap<string, ReadonlyMap<string, StoredRow | null>>,
  known: KnownRows,
): TableWrites[] {
  const writes: TableWrites[] = [];
  for (const { table, appendOnly } of projection.readModels) {
    const rows = changed.get(table);
    if (rows === undefined || rows.size === 0) continue;
    const upserts: StoredRow[] = [];
    const deletes: string[] = [];
    for (const [id, stored] of rows) {
      if (stored !== null) upserts.push(stored);
      // Created and removed within the batch: never written at all.
      else if (known.get(table)?.get(id)) deletes.push(id);
    }
    if (appendOnly && deletes.length > 0) throw new Error(`${table} is append-only: a row cannot be deleted`);
    if (upserts.length > 0 || deletes.length > 0) writes.push({ table, upserts, deletes, insertOnly: appendOnly });
  }
  return writes;
}
