/**
 * The client calls the EventStoreDB adapter makes, in the shape both npm packages of the client
 * share: `@eventstore/db-client` (EventStoreDB) and its successor `@kurrent/kurrentdb-client`
 * (KurrentDB, the same server renamed). The adapter is written once against this; each package
 * gets a small binding (eventstore-package.ts, kurrentdb-package.ts). This file imports neither.
 */
import type { JsonObject } from '../event-store.port';

/** EVENTSTOREDB_CLIENT: which package talks to the server. */
export const EVENTSTOREDB_CLIENTS = ['eventstore', 'kurrentdb'] as const;
export type EventStoreDbClientName = (typeof EVENTSTOREDB_CLIENTS)[number];

/** URL schemes each package accepts: the kurrent client reads `esdb` too, as a deprecated alias. */
export const CONNECTION_STRING_PROTOCOLS: Readonly<Record<EventStoreDbClientName, readonly string[]>> = {
  eventstore: ['esdb:', 'esdb+discover:'],
  kurrentdb: ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:'],
};

export type ClientPosition = { readonly commit: bigint; readonly prepare: bigint };
export type ClientDirection = 'forwards' | 'backwards';
export type ClientReadRevision = 'start' | 'end' | bigint;
export type ClientReadPosition = 'start' | 'end' | ClientPosition;
export type ClientExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;
/** What a refused append found: no stream, the stream's last revision, or nothing the server said. */
export type ClientCurrentRevision = 'no_stream' | bigint | undefined;

export interface ClientRecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly position?: ClientPosition;
}

export interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent;
}

export interface ClientEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface ClientSubscription extends AsyncIterable<ClientResolvedEvent> {
  /** Ends the call; may be repeated. */
  unsubscribe(): Promise<void>;
}

export interface ClientReadStreamOptions {
  readonly direction: ClientDirection;
  readonly fromRevision: ClientReadRevision;
  readonly maxCount: bigint;
}

export interface ClientReadAllOptions {
  readonly direction: ClientDirection;
  readonly fromPosition: ClientReadPosition;
  readonly maxCount: bigint;
  readonly deadline?: number;
}

export interface EventStoreDbClient {
  appendToStream(
    streamName: string,
    events: readonly ClientEvent[],
    expectedRevision: ClientExpectedRevision,
  ): Promise<{ readonly nextExpectedRevision: bigint; readonly position?: ClientPosition }>;
  /** A missing stream fails with an error that `isStreamNotFound` recognises. */
  readStream(streamName: string, options: ClientReadStreamOptions): AsyncIterable<ClientResolvedEvent>;
  readAll(options: ClientReadAllOptions): AsyncIterable<ClientResolvedEvent>;
  /** A catch-up subscription to $all with system events filtered out by the server. */
  subscribeToAll(fromPosition: ClientReadPosition): ClientSubscription;
  dispose(): Promise<void>;
  /** When `error` refused an append's expected revision: what the stream was at; else undefined. */
  refusedRevisionOf(error: unknown): { readonly actual: ClientCurrentRevision } | undefined;
  isStreamNotFound(error: unknown): boolean;
}

export interface EventStoreDbClientPackage {
  connect(connectionString: string): EventStoreDbClient;
  /** "No server answered" (or none that may write), as opposed to a refused command. */
  isUnreachable(error: unknown): boolean;
}
