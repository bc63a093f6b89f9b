import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AppendLimits,
  assertExpectedRevision,
  confirmRetry,
  DEFAULT_APPEND_LIMITS,
  planAppend,
  serializeAppend,
  StoredEventIdentity,
} from '../append-rules';
import { AppendSignal, PollingCatchUpSubscription } from '../catch-up-subscription';
import { InvalidAppendError, WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventSubscription,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  StreamName,
  SubscribeToAllOptions,
} from '../event-store.port';
import { pagedRead, READ_PAGE_SIZE } from '../paged-read';
import { GroupCommit, GroupOutcome } from './group-commit';
import { EventRow, toRecordedEvent } from '../sql/event-row';

export interface SqliteEventStoreOptions {
  /** A file path, or ':memory:' for a private in-memory store. */
  readonly path: string;
  readonly limits?: AppendLimits;
  /** How often a caught-up subscription looks for appends made by other processes. */
  readonly pollIntervalMs?: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position     INTEGER PRIMARY KEY,
    stream_name  TEXT    NOT NULL,
    revision     INTEGER NOT NULL,
    event_id     TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    data         TEXT    NOT NULL,
    metadata     TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_name, revision);
`;

/** Appends sharing one commit at most: bounds how long a group holds the write lock. */
const MAX_APPENDS_PER_COMMIT = 256;

const COLUMNS = 'position, stream_name, revision, event_id, type, data, metadata, recorded_at';

/**
 * The embedded default. One file in WAL mode; appends run in BEGIN IMMEDIATE transactions so
 * several processes may share the file and positions are handed out in commit order.
 */
export class SqliteEventStore implements EventStore {
  readonly adapter = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly limits: AppendLimits;
  private readonly signal = new AppendSignal();
  private readonly pollIntervalMs: number;
  private readonly statements;
  private readonly appendTransaction;
  private readonly appendManyTransaction;
  private readonly groupCommit: GroupCommit<StreamAppend, AppendResult>;

  constructor(options: SqliteEventStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; FULL adds an fsync per commit
    // so an acknowledged append also survives a power loss, which a ledger of public money needs.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.limits = options.limits ?? DEFAULT_APPEND_LIMITS;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.statements = {
      currentRevision: this.db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_name = ? ORDER BY revision DESC LIMIT 1',
      ),
      revisionOfEvent: this.db.prepare<[string, string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_name = ? AND event_id = ?',
      ),
      identitiesFrom: this.db.prepare<[string, number, number], { id: string; revision: number; position: number }>(
        `SELECT event_id AS id, revision, position FROM events
         WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      insert: this.db.prepare(
        `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      streamForwards: this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      ),
      streamBackwards: this.db.prepare<[string, number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream_name = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      allForwards: this.db.prepare<[number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      ),
      allBackwards: this.db.prepare<[number, number], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE position < ? ORDER BY position DESC LIMIT ?`,
      ),
      head: this.db.prepare<[], { position: number }>('SELECT MAX(position) AS position FROM events'),
    };
    this.appendTransaction = this.db.transaction(
      (streamName: string, events: readonly NewEvent[], options: AppendOptions) =>
        this.appendInTransaction(streamName, events, options),
    );
    this.appendManyTransaction = this.db.transaction((appends: readonly StreamAppend[]) =>
      appends.map((part) => this.appendInTransaction(part.streamName, part.events, part.options ?? {})),
    );
    // Concurrent appends share one commit (one fsync); each keeps its own savepoint (the nested
    // appendTransaction), so a refused one rolls back alone and is answered alone.
    const groupTransaction = this.db.transaction((appends: readonly StreamAppend[]) =>
      appends.map((part): GroupOutcome<AppendResult> => {
        try {
          return { ok: true, value: this.appendTransaction(part.streamName, part.events, part.options ?? {}) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    this.groupCommit = new GroupCommit(
      (appends) => {
        const outcomes = groupTransaction.immediate(appends);
        this.signal.notify();
        return outcomes;
      },
      { maxItems: MAX_APPENDS_PER_COMMIT, maxWeight: this.limits.maxEventsPerAppend },
    );
  }

  async append(
    streamName: StreamName,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    // The events are read when the group commits, one event-loop turn later: callers hand them
    // over, as every caller in the ledger builds them fresh for the append.
    return this.groupCommit.submit({ streamName, events, options }, events.length);
  }

  /** One BEGIN IMMEDIATE and one commit for all the appends; any refusal rolls every one back. */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const eventCount = appends.reduce((sum, part) => sum + part.events.length, 0);
    // The same bound as one append: a transaction's size, and how long it holds the write lock.
    if (eventCount > this.limits.maxEventsPerAppend) {
      throw new InvalidAppendError(
        `A multi-stream append of ${eventCount} events is over the limit of ${this.limits.maxEventsPerAppend}`,
      );
    }
    if (appends.length === 0) return [];
    // Appends made before this call are written before it, as they were asked for.
    this.groupCommit.flush();
    const results = this.appendManyTransaction.immediate(appends);
    this.signal.notify();
    return results;
  }

  private appendInTransaction(streamName: string, events: readonly NewEvent[], options: AppendOptions): AppendResult {
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const serialized = serializeAppend(streamName, events, this.limits);
    const currentRevision = this.statements.currentRevision.get(streamName)?.revision ?? -1;
    const revisionOfFirstEvent =
      expected === 'any' || expected === 'stream_exists'
        ? this.statements.revisionOfEvent.get(streamName, serialized[0].id)?.revision
        : undefined;
    const plan = planAppend(expected, currentRevision, revisionOfFirstEvent);
    if (plan.kind === 'verify-retry') {
      const stored: StoredEventIdentity[] = this.statements.identitiesFrom.all(
        streamName,
        plan.fromRevision,
        serialized.length,
      );
      const retried = confirmRetry(
        serialized.map((event) => event.id),
        stored,
      );
      if (retried) return retried;
    }
    if (plan.kind !== 'write') throw new WrongExpectedRevisionError(streamName, expected, currentRevision);
    const recordedAt = new Date().toISOString();
    let position = 0;
    serialized.forEach((event, index) => {
      const info = this.statements.insert.run(
        streamName,
        plan.firstRevision + index,
        event.id,
        event.type,
        event.data,
        event.metadata,
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    });
    return { nextExpectedRevision: plan.firstRevision + serialized.length - 1, position };
  }

  readStream(streamName: StreamName, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    return pagedRead({
      maxCount: options.maxCount,
      start: options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0),
      readPage: async (from, count) =>
        (backwards ? this.statements.streamBackwards : this.statements.streamForwards)
          .all(streamName, from, count)
          .map(toRecordedEvent),
      // Revision bounds are inclusive: continue one past the last revision read.
      next: (last) => (backwards ? last.revision - 1 : last.revision + 1),
    });
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    return pagedRead({
      maxCount: options.maxCount,
      start: options.from ?? (backwards ? Number.MAX_SAFE_INTEGER : 0),
      readPage: async (from, count) =>
        (backwards ? this.statements.allBackwards : this.statements.allForwards).all(from, count).map(toRecordedEvent),
      // Position bounds are exclusive: continue from the last position read.
      next: (last) => last.position,
    });
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    return new PollingCatchUpSubscription(
      {
        signal: this.signal,
        readPage: async (after, maxCount) => this.statements.allForwards.all(after ?? 0, maxCount).map(toRecordedEvent),
      },
      { pageSize: READ_PAGE_SIZE, pollIntervalMs: this.pollIntervalMs },
      options.after,
    );
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    return this.statements.head.get()?.position ?? undefined;
  }

  async ping(): Promise<void> {
    this.statements.head.get();
  }

  async close(): Promise<void> {
    // Appends already accepted are committed, not dropped, by a graceful close.
    if (this.db.open) this.groupCommit.flush();
    this.signal.notify();
    if (this.db.open) this.db.close();
  }
}
