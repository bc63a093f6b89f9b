/**
 * The one event-store port of the ledger. Every adapter (SQLite, PostgreSQL, EventStoreDB)
 * implements it and passes the same contract suite (test/event-store/contract.ts).
 *
 * Revisions and positions are plain integers: stream revisions start at 0 and are gapless
 * within a stream; global positions are strictly increasing along the log but need not be
 * dense (EventStoreDB uses byte offsets). Both stay below 2^53, which a ledger reaches only
 * after petabytes of log.
 */
export type StreamName = string;
export type StreamRevision = number;
export type GlobalPosition = number;

/** What the writer believes the stream looks like before its append. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | StreamRevision;

export type JsonObject = { readonly [key: string]: unknown };

/** An event as a writer proposes it. The id makes a retried append idempotent. */
export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata?: JsonObject;
}

/** An event as the store recorded it. */
export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamName: StreamName;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
  /** ISO-8601 UTC, assigned by the store. */
  readonly recordedAt: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /**
   * Set by the personal-data layer (libs/personal-data) on events whose data it opened: `data`
   * then holds the clear values (or '[erased]'), each decrypted when first read, and this the data
   * exactly as stored, sealed. Read models keep the stored form, never the clear one.
   */
  readonly personalData?: RecordedPersonalData;
}

export interface RecordedPersonalData {
  readonly storedData: JsonObject;
  /** Keyed search keys of the values looked up across subjects, by kind (`nik`, `kk`); none once erased. */
  readonly searchKeys: Readonly<Record<string, string>>;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append: the next expected revision. */
  readonly nextExpectedRevision: StreamRevision;
  /** Global position of the last event of the append (of the earlier identical append on a retry). */
  readonly position: GlobalPosition;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamName: StreamName;
  readonly events: readonly NewEvent[];
  readonly options?: AppendOptions;
}

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: ReadDirection;
  /** Inclusive. Defaults to the first revision forwards, the last backwards. */
  readonly fromRevision?: StreamRevision;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  readonly direction?: ReadDirection;
  /**
   * Exclusive: forwards, events after this position; backwards, events before it.
   * Omitted: from the start (forwards) or the end (backwards).
   */
  readonly from?: GlobalPosition;
  readonly maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive: deliver events after this position. Omitted: from the start of the log. */
  readonly after?: GlobalPosition;
}

/** Catch-up subscription: every event after the start point once, in order, then live ones. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export type EventStoreAdapterName = 'sqlite' | 'postgres' | 'eventstoredb';

export interface EventStore {
  readonly adapter: EventStoreAdapterName;
  append(streamName: StreamName, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Optional: appends to several streams in one transaction, all or nothing, each judged by the
   * rules of `append` (a wrong expected revision anywhere throws and writes nothing). It spares a
   * bulk writer (a round of a million new payment streams) one commit, so one fsync, per stream.
   * Adapters without it are used one `append` at a time.
   */
  appendMany?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** A stream that does not exist reads as empty. */
  readStream(streamName: StreamName, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): EventSubscription;
  /** Position of the last event in the log, undefined when the log is empty. */
  headPosition(): Promise<GlobalPosition | undefined>;
  /** Cheap round trip used by /health. Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Token under which Nest provides the ledger's event store: the configured adapter seen through
 * the personal-data layer, which seals personal data on the way in and opens it on the way out.
 */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * The adapter itself, as stored: for the readers that must see the exact stored bytes (the Merkle
 * log, its integrity checks, exports, migrations) and never clear personal data.
 */
export const RAW_EVENT_STORE = Symbol('RAW_EVENT_STORE');

/** How the event store is seen by the rest of the ledger; provided by libs/personal-data. */
export interface EventStoreLens {
  over(raw: EventStore): EventStore;
}

export const EVENT_STORE_LENS = Symbol('EVENT_STORE_LENS');
