import { Pool, PoolClient } from 'pg';
import {
  AppendLimits,
  assertExpectedRevision,
  confirmRetry,
  DEFAULT_APPEND_LIMITS,
  planAppend,
  SerializedEvent,
  serializeAppend,
} from '../append-rules';
import { AppendSignal, PollingCatchUpSubscription } from '../catch-up-subscription';
import { WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
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
import { isConnectionLost } from './connection-lost';
import { DEFAULT_RECONNECT_POLICY, ReconnectPolicy, withReconnect } from './reconnect';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly limits?: AppendLimits;
  readonly poolSize?: number;
  /**
   * The application_name of every connection, so an operator (or a test) can tell the store's
   * backends apart in pg_stat_activity. An application_name in the connection string wins.
   */
  readonly applicationName?: string;
  /** Fallback poll for a caught-up subscription should a notification be missed. */
  readonly pollIntervalMs?: number;
  /** How reads and appends ride out a lost connection. */
  readonly reconnect?: ReconnectPolicy;
}

/**
 * Every append takes this transaction-level advisory lock before it draws positions from the
 * sequence. Positions are therefore handed out in commit order, and a reader can never see
 * position n+1 while n is still uncommitted: the classic sequence-gap problem cannot happen.
 * The price is one writer at a time, which the 100-event appends of the ledger amortise.
 */
const APPEND_LOCK_KEY = 7_305_210_951_334_221n;
const NOTIFY_CHANNEL = 'salur_events_appended';
/** One round trip: a simple-protocol query may carry two statements (the key is a constant). */
const LOCKED_BEGIN = `BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`;
const UNIQUE_VIOLATION = '23505';
/** A lost LISTEN connection is opened again after this, doubling up to the maximum while it keeps failing. */
const LISTEN_RETRY_FIRST_DELAY_MS = 50;
const LISTEN_RETRY_MAX_DELAY_MS = 5_000;
export const DEFAULT_APPLICATION_NAME = 'salur-event-store';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position     BIGSERIAL   PRIMARY KEY,
    stream_name  TEXT        NOT NULL,
    revision     BIGINT      NOT NULL,
    event_id     UUID        NOT NULL,
    type         TEXT        NOT NULL,
    data         TEXT        NOT NULL,
    metadata     TEXT        NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT events_stream_revision UNIQUE (stream_name, revision)
  );
`;

const COLUMNS = 'position, stream_name, revision, event_id, type, data, metadata, recorded_at';

export class PostgresEventStore implements EventStore {
  readonly adapter = 'postgres' as const;
  private readonly limits: AppendLimits;
  private readonly signal = new AppendSignal();
  private readonly pollIntervalMs: number;
  private readonly reconnect: ReconnectPolicy;
  private listener: PoolClient | undefined;
  /** The LISTEN connection being opened, if one is; close() waits for it. */
  private listenerOpening: Promise<void> | undefined;
  private listenRetryTimer: NodeJS.Timeout | undefined;
  private listenFailures = 0;
  private listening = false;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions,
  ) {
    this.limits = options.limits ?? DEFAULT_APPEND_LIMITS;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.reconnect = options.reconnect ?? DEFAULT_RECONNECT_POLICY;
  }

  /** Connects and creates the schema if it is missing. */
  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? DEFAULT_APPLICATION_NAME,
    });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    // Nor may a client in use: node-postgres emits 'error' on it when its socket ends, even when
    // the query in flight has already been rejected with the same failure, and an 'error' event
    // without a listener throws. The failure reaches the caller through its query; the broken
    // client is dropped when it is released.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const store = new PostgresEventStore(pool, options);
    await withReconnect(() => store.inTransaction(LOCKED_BEGIN, (client) => client.query(SCHEMA)), store.reconnect);
    return store;
  }

  async append(
    streamName: StreamName,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const serialized = serializeAppend(streamName, events, this.limits);
    try {
      // Four round trips: BEGIN with the lock, the stream's state, the insert with its
      // notification, COMMIT. The state is read in a statement of its own, after the lock, so
      // its snapshot sees every append that committed before this one.
      // A lost connection is retried with the same event ids: if the first try did commit, the
      // retry finds its events and answers with their positions instead of writing them again.
      return await withReconnect(
        () => this.inTransaction(LOCKED_BEGIN, (client) => this.appendIn(client, streamName, serialized, expected)),
        this.reconnect,
      );
    } catch (error) {
      // The lock makes this unreachable among our own writers; it guards against any other.
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new WrongExpectedRevisionError(streamName, expected, undefined);
      }
      throw error;
    } finally {
      this.signal.notify();
    }
  }

  /** The append's work inside its locked transaction; see append(). */
  private async appendIn(
    client: PoolClient,
    streamName: StreamName,
    serialized: readonly SerializedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const eventIds = serialized.map((event) => event.id);
    const checksFirstEvent = expected === 'any' || expected === 'stream_exists';
    const state = await client.query<{ current: string | null; first: string | null }>(
      `SELECT (SELECT revision FROM events WHERE stream_name = $1 ORDER BY revision DESC LIMIT 1) AS current,
              (SELECT revision FROM events WHERE $3 AND stream_name = $1 AND event_id = $2) AS first`,
      [streamName, eventIds[0], checksFirstEvent],
    );
    const { current, first } = state.rows[0];
    const currentRevision = current === null ? -1 : Number(current);
    const revisionOfFirstEvent = first === null ? undefined : Number(first);
    const plan = planAppend(expected, currentRevision, revisionOfFirstEvent);
    if (plan.kind === 'verify-retry') {
      const stored = await client.query<{ id: string; revision: string; position: string }>(
        `SELECT event_id AS id, revision, position FROM events
         WHERE stream_name = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
        [streamName, plan.fromRevision, eventIds.length],
      );
      const retried = confirmRetry(
        eventIds,
        stored.rows.map((row) => ({ id: row.id, revision: Number(row.revision), position: Number(row.position) })),
      );
      if (retried) return retried;
    }
    if (plan.kind !== 'write') throw new WrongExpectedRevisionError(streamName, expected, currentRevision);
    // The notification is delivered to listeners only when the transaction commits.
    const inserted = await client.query<{ position: string }>(
      `WITH inserted AS (
         INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
         SELECT $1, $2::bigint + ordinal - 1, id, type, data, metadata, $7
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
           AS appended(id, type, data, metadata, ordinal)
         ORDER BY ordinal
         RETURNING position
       ), notified AS (SELECT pg_notify('${NOTIFY_CHANNEL}', ''))
       SELECT MAX(position) AS position FROM inserted, notified`,
      [
        streamName,
        plan.firstRevision,
        eventIds,
        serialized.map((event) => event.type),
        serialized.map((event) => event.data),
        serialized.map((event) => event.metadata),
        new Date().toISOString(),
      ],
    );
    const position = Number(inserted.rows[0].position);
    return { nextExpectedRevision: plan.firstRevision + serialized.length - 1, position };
  }

  readStream(streamName: StreamName, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const sql = backwards
      ? `SELECT ${COLUMNS} FROM events WHERE stream_name = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`
      : `SELECT ${COLUMNS} FROM events WHERE stream_name = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;
    return pagedRead({
      maxCount: options.maxCount,
      start: options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0),
      readPage: async (from, count) =>
        (await this.query<EventRow>(sql, [streamName, from, count])).map(toRecordedEvent),
      next: (last) => (backwards ? last.revision - 1 : last.revision + 1),
    });
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    return pagedRead({
      maxCount: options.maxCount,
      start: options.from ?? (backwards ? Number.MAX_SAFE_INTEGER : 0),
      readPage: (from, count) => (backwards ? this.readPageBackwards(from, count) : this.readPageForwards(from, count)),
      next: (last) => last.position,
    });
  }

  private async readPageForwards(after: number, count: number): Promise<RecordedEvent[]> {
    const sql = `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`;
    return (await this.query<EventRow>(sql, [after, count])).map(toRecordedEvent);
  }

  private async readPageBackwards(before: number, count: number): Promise<RecordedEvent[]> {
    const sql = `SELECT ${COLUMNS} FROM events WHERE position < $1 ORDER BY position DESC LIMIT $2`;
    return (await this.query<EventRow>(sql, [before, count])).map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    this.keepListening();
    return new PollingCatchUpSubscription(
      { signal: this.signal, readPage: (after, maxCount) => this.readPageForwards(after ?? 0, maxCount) },
      { pageSize: READ_PAGE_SIZE, pollIntervalMs: this.pollIntervalMs },
      options.after,
    );
  }

  /**
   * One LISTEN connection per store wakes subscriptions on appends made by any process. Opened
   * with the first subscription and kept until the store closes: a lost one is opened again
   * (after a growing pause while the server stays away); polling covers the gap meanwhile.
   */
  private keepListening(): void {
    if (this.listening || this.closed) return;
    this.listening = true;
    this.listenerOpening = this.openListener();
  }

  private async openListener(): Promise<void> {
    let client: PoolClient | undefined;
    let lost = false;
    const onLost = (error: unknown) => {
      if (lost || this.closed) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      client?.release(error instanceof Error ? error : true);
      this.scheduleListenerRetry();
    };
    try {
      client = await this.pool.connect();
      if (this.closed) return client.release();
      client.on('error', onLost);
      client.on('notification', () => this.signal.notify());
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      if (lost || this.closed) return;
      this.listener = client;
      this.listenFailures = 0;
      // Appends made while nobody listened were never announced: let every subscription look now.
      this.signal.notify();
    } catch (error) {
      if (client === undefined) this.scheduleListenerRetry();
      else onLost(error);
    } finally {
      this.listenerOpening = undefined;
    }
  }

  private scheduleListenerRetry(): void {
    if (this.closed) return;
    const delayMs = Math.min(LISTEN_RETRY_MAX_DELAY_MS, LISTEN_RETRY_FIRST_DELAY_MS * 2 ** this.listenFailures++);
    this.listenRetryTimer = setTimeout(() => {
      this.listenRetryTimer = undefined;
      if (!this.closed) this.listenerOpening = this.openListener();
    }, delayMs);
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    const rows = await this.query<{ position: string | null }>('SELECT MAX(position) AS position FROM events');
    const position = rows[0].position;
    return position === null ? undefined : Number(position);
  }

  /** No retry: /health should see the connection as it is. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.listenRetryTimer);
    this.signal.notify();
    await this.listenerOpening;
    this.listener?.release(true);
    this.listener = undefined;
    await this.pool.end();
  }

  /** A read on any pooled connection; a read is safe to repeat, so a lost connection is retried. */
  private async query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return withReconnect(async () => (await this.pool.query<Row>(sql, params)).rows, this.reconnect);
  }

  private async inTransaction<T>(begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isConnectionLost(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      // A client whose connection failed is dropped from the pool, not handed to the next caller.
      client.release(broken);
    }
  }
}
