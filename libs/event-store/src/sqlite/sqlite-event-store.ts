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
import { WrongExpectedRevisionError } from '../errors';
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
  StreamName,
  SubscribeToAllOptions,
} from '../event-store.port';
import { pagedRead, READ_PAGE_SIZE } from '../paged-read';
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
  }

  async append(
    streamName: StreamName,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const result = this.appendTransaction.immediate(streamName, events, options);
    this.signal.notify();
    return result;
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
    this.signal.notify();
    if (this.db.open) this.db.close();
  }
}
