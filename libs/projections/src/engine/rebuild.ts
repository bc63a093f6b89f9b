import { Kysely, PostgresAdapter } from 'kysely';
import type { EventStore, GlobalPosition, RecordedEvent } from '@salur/event-store';
import { applyBatch, applyBatchIn, RowCache } from './apply-batch';
import { NO_POSITION, type Projection } from './projection';
import type { EngineTables, ReadModelDatabase } from './read-model-database';
import { createIndex, dropIndex, renameIndex, shadowName, ShadowTablesPlugin } from './shadow-tables';

/**
 * Rebuilding a projection from the first event without downtime for readers:
 *
 * 1. Shadow tables (`<table>__rebuild`) are created by the projection's own migrations, run
 *    through ShadowTablesPlugin, with a checkpoint of their own (`<name>:rebuild`). Their
 *    secondary indexes are dropped again at once: the shadow fills faster without them.
 * 2. The engine's applyBatch fills them from position 0, batch by batch, each batch in one
 *    transaction with the shadow checkpoint, exactly as a live runner does. A crash leaves the
 *    live tables untouched; the next rebuild starts again.
 * 3. Once the shadow is close to the head of the log, its indexes are built (PostgreSQL: on the
 *    shadow, under shadow names, while readers still use the live tables).
 * 4. The swap is one transaction. It first updates the live checkpoint row, which locks it: a live
 *    runner's batch (whose first statement is a compare-and-set of that row) either committed
 *    before or waits and then finds the checkpoint moved. It applies the last events up to the
 *    head to the shadow, sets the live checkpoint to the shadow's position (at or past where the
 *    live runner was, so no reader sees the data go back), drops the live tables and renames the
 *    shadows into their place (PostgreSQL: the indexes too; SQLite, which cannot rename an
 *    index, builds them here under their own names). Readers see the old tables or the new,
 *    never a half-built one. A live runner in any process then resumes from the new checkpoint.
 */

/** Checkpoint row of a projection's shadow. */
export function shadowCheckpointName(projection: string): string {
  return `${projection}:rebuild`;
}

/** A shadow whose checkpoint has not moved for this long belongs to a rebuild that died. */
export const REBUILD_LEASE_MS = 30_000;
/** Catch up until the shadow is this close to the head, then swap. */
export const SWAP_WITHIN_EVENTS = 1_000;
/** The most events the swap applies while it holds the live checkpoint; more, and it catches up again first. */
export const MAX_EVENTS_IN_SWAP = 5_000;
/** Catch-up rounds before the swap gives up on a log that grows faster than the rebuild. */
const MAX_CATCH_UP_ROUNDS = 20;

/**
 * Events per transaction of a rebuild: larger than a live runner's, since nobody waits for a
 * single event, and a row touched by several events of a batch is written once.
 */
export const DEFAULT_REBUILD_BATCH_EVENTS = 5_000;

export type RebuildPhase = 'catching-up' | 'indexing' | 'swapping' | 'done';

export interface RebuildProgress {
  readonly projection: string;
  readonly phase: RebuildPhase;
  /** Global position the shadow has reached. */
  readonly position: GlobalPosition;
  /** Head of the log when last read: the target. */
  readonly headPosition: GlobalPosition;
  readonly eventsApplied: number;
  readonly elapsedMs: number;
}

export interface RebuildOptions {
  /** Awaited: a slow consumer slows the rebuild down rather than letting reports pile up. */
  readonly onProgress?: (progress: RebuildProgress) => void | Promise<void>;
  /** Take over a shadow whose rebuild still looks alive (its lease is fresh). */
  readonly force?: boolean;
  /** How long an unmoved shadow counts as another rebuild's; REBUILD_LEASE_MS by default. */
  readonly leaseMs?: number;
  /** Events per transaction; DEFAULT_REBUILD_BATCH_EVENTS by default. */
  readonly batchEvents?: number;
  /** Swap once the shadow is this close to the head; SWAP_WITHIN_EVENTS by default. */
  readonly swapWithinEvents?: number;
}

export interface RebuildResult {
  readonly projection: string;
  /** The live checkpoint after the swap. */
  readonly position: GlobalPosition;
  readonly eventsApplied: number;
  readonly elapsedMs: number;
}

export class RebuildInProgressError extends Error {
  constructor(projection: string, updatedAt: string) {
    super(
      `A rebuild of '${projection}' is already running (its shadow moved at ${updatedAt}); ` +
        `wait for it, or pass --force if it died`,
    );
    this.name = 'RebuildInProgressError';
  }
}

/** Rebuilds one projection into shadow tables and swaps them in (see above). */
export async function rebuildProjection(
  db: ReadModelDatabase,
  store: EventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const rebuild = new Rebuild(db, store, projection, options);
  return rebuild.run();
}

class Rebuild {
  private readonly plugin: ShadowTablesPlugin;
  private readonly shadow: Kysely<EngineTables>;
  private readonly checkpoint: string;
  /** The shadow's rows between batches: it starts empty and only this rebuild writes it. */
  private readonly rows: RowCache;
  private readonly startedAtMs = performance.now();
  private position: GlobalPosition = NO_POSITION;
  private headPosition: GlobalPosition = NO_POSITION;
  private eventsApplied = 0;

  constructor(
    private readonly db: ReadModelDatabase,
    private readonly store: EventStore,
    private readonly projection: Projection,
    private readonly options: RebuildOptions,
  ) {
    this.plugin = new ShadowTablesPlugin(projection);
    this.shadow = db.withPlugin(this.plugin);
    this.checkpoint = shadowCheckpointName(projection.name);
    this.rows = new RowCache(projection, true);
  }

  async run(): Promise<RebuildResult> {
    await this.createShadow();
    await this.catchUp();
    if (this.dialect() === 'postgres') {
      await this.report('indexing');
      for (const index of this.plugin.indexes) {
        await createIndex(this.db.withoutPlugins(), index.shadow);
        await this.renewLease();
      }
    }
    for (let round = 1; ; round++) {
      await this.catchUp();
      await this.report('swapping');
      if (await this.swap()) break;
      if (round >= MAX_CATCH_UP_ROUNDS) {
        throw new Error(`Rebuild of '${this.projection.name}' cannot catch up with the log to swap`);
      }
    }
    await this.report('done');
    return {
      projection: this.projection.name,
      position: this.position,
      eventsApplied: this.eventsApplied,
      elapsedMs: performance.now() - this.startedAtMs,
    };
  }

  /**
   * Claims the shadow (its checkpoint row is the claim: one rebuild of a projection at a time),
   * drops a dead rebuild's leftovers, and runs the migrations on fresh shadow tables.
   */
  private async createShadow(): Promise<void> {
    const existing = await this.db
      .selectFrom('projectionCheckpoints')
      .select('updatedAt')
      .where('name', '=', this.checkpoint)
      .executeTakeFirst();
    if (existing !== undefined && !this.options.force) {
      const ageMs = Date.now() - Date.parse(existing.updatedAt);
      if (ageMs < (this.options.leaseMs ?? REBUILD_LEASE_MS))
        throw new RebuildInProgressError(this.projection.name, existing.updatedAt);
    }
    await this.db.deleteFrom('projectionCheckpoints').where('name', '=', this.checkpoint).execute();
    const claimed = await this.db
      .insertInto('projectionCheckpoints')
      .values({ name: this.checkpoint, position: NO_POSITION, updatedAt: new Date().toISOString() })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .executeTakeFirst();
    if (claimed.numInsertedOrUpdatedRows !== 1n) {
      throw new RebuildInProgressError(this.projection.name, 'the same moment');
    }
    for (const table of this.plugin.tables) {
      await this.db.withoutPlugins().schema.dropTable(shadowName(table)).ifExists().execute();
    }
    this.plugin.recordIndexes = true;
    try {
      for (const name of Object.keys(this.projection.migrations).sort()) {
        await this.projection.migrations[name].up(this.shadow as unknown as Kysely<unknown>);
      }
    } finally {
      this.plugin.recordIndexes = false;
    }
    // Filled without its secondary indexes, the shadow is built faster; they come back before the swap.
    for (const index of this.plugin.indexes) await dropIndex(this.db.withoutPlugins(), shadowName(index.name));
  }

  /**
   * Applies batches to the shadow until it is within SWAP_WITHIN_EVENTS of the head. The next
   * batch is read while one is written.
   */
  private async catchUp(): Promise<void> {
    const batchEvents = this.options.batchEvents ?? DEFAULT_REBUILD_BATCH_EVENTS;
    for (;;) {
      this.headPosition = (await this.store.headPosition()) ?? NO_POSITION;
      if (this.headPosition - this.position <= (this.options.swapWithinEvents ?? SWAP_WITHIN_EVENTS)) return;
      await this.report('catching-up');
      const batches = eventBatches(this.store, this.position, this.headPosition, batchEvents);
      let next = readAhead(batches);
      for (let batch = await next; batch.done !== true; batch = await next) {
        next = readAhead(batches);
        this.position = await applyBatch(
          this.shadow,
          this.projection,
          batch.value,
          this.position,
          this.checkpoint,
          this.rows,
        );
        this.eventsApplied += batch.value.length;
        await this.report('catching-up');
      }
    }
  }

  /**
   * The swap transaction (see the top of this file). Answers false, having changed nothing,
   * when more than MAX_EVENTS_IN_SWAP events arrived meanwhile: catch up again first.
   */
  private async swap(): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      await trx
        .insertInto('projectionCheckpoints')
        .values({ name: this.projection.name, position: NO_POSITION, updatedAt: now })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute();
      // Locks the live checkpoint: no live batch commits while the tables change hands.
      await trx
        .updateTable('projectionCheckpoints')
        .set({ updatedAt: now })
        .where('name', '=', this.projection.name)
        .execute();
      const last = await this.eventsAfter(this.position, MAX_EVENTS_IN_SWAP + 1);
      if (last.length > MAX_EVENTS_IN_SWAP) return false;
      const shadowTrx = trx.withPlugin(this.plugin);
      this.position = await applyBatchIn(shadowTrx, this.projection, last, this.position, this.checkpoint);
      this.eventsApplied += last.length;
      await trx
        .updateTable('projectionCheckpoints')
        .set({ position: this.position, updatedAt: now })
        .where('name', '=', this.projection.name)
        .execute();
      await trx.deleteFrom('projectionCheckpoints').where('name', '=', this.checkpoint).execute();
      await this.swapTables(trx.withoutPlugins());
      return true;
    });
  }

  private async swapTables(trx: Kysely<EngineTables>): Promise<void> {
    for (const table of this.plugin.tables) {
      await trx.schema.dropTable(table).execute();
      await trx.schema.alterTable(shadowName(table)).renameTo(table).execute();
    }
    for (const index of this.plugin.indexes) {
      if (this.dialect() === 'postgres') await renameIndex(trx, shadowName(index.name), index.name);
      else await createIndex(trx, index.live);
    }
  }

  private async eventsAfter(position: GlobalPosition, maxCount: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll(
      position === NO_POSITION ? { maxCount } : { from: position, maxCount },
    )) {
      events.push(event);
    }
    return events;
  }

  private async renewLease(): Promise<void> {
    await this.db
      .updateTable('projectionCheckpoints')
      .set({ updatedAt: new Date().toISOString() })
      .where('name', '=', this.checkpoint)
      .execute();
  }

  private dialect(): 'sqlite' | 'postgres' {
    return this.db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  }

  private async report(phase: RebuildPhase): Promise<void> {
    await this.options.onProgress?.({
      projection: this.projection.name,
      phase,
      position: Math.max(this.position, 0),
      headPosition: Math.max(this.headPosition, 0),
      eventsApplied: this.eventsApplied,
      elapsedMs: performance.now() - this.startedAtMs,
    });
  }
}

/** The log after `after` up to `until` (the last batch may run past it), in batches of `size` events. */
async function* eventBatches(
  store: EventStore,
  after: GlobalPosition,
  until: GlobalPosition,
  size: number,
): AsyncGenerator<RecordedEvent[]> {
  let batch: RecordedEvent[] = [];
  for await (const event of store.readAll(after === NO_POSITION ? {} : { from: after })) {
    batch.push(event);
    if (batch.length >= size || event.position >= until) {
      yield batch;
      batch = [];
      if (event.position >= until) return;
    }
  }
  if (batch.length > 0) yield batch;
}

/** The next batch, requested now; a failure is kept for whoever awaits it, never left unhandled. */
function readAhead(batches: AsyncGenerator<RecordedEvent[]>): Promise<IteratorResult<RecordedEvent[]>> {
  const next = batches.next();
  next.catch(() => undefined);
  return next;
}
