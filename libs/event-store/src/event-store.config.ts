import { Environment, readChoice, readInteger, readString, readUrl } from '@salur/config';
import { AppendLimits, DEFAULT_APPEND_LIMITS } from './append-rules';
import type { EventStoreAdapterName } from './event-store.port';
import {
  CONNECTION_STRING_PROTOCOLS,
  EVENTSTOREDB_CLIENTS,
  EventStoreDbClientName,
} from './eventstoredb/eventstoredb-client';

export interface EventStoreConfig {
  readonly adapter: EventStoreAdapterName;
  readonly sqlitePath: string;
  readonly postgresUrl: string;
  readonly eventStoreDbUrl: string;
  /** EVENTSTOREDB_CLIENT; a config built by hand may leave it out, for @eventstore/db-client. */
  readonly eventStoreDbClient?: EventStoreDbClientName;
  readonly limits: AppendLimits;
  /**
   * How long a starting process waits for a server that does not answer yet (a store started in the
   * same `docker compose up`, a failover) before it gives up with one clear line.
   */
  readonly startupWaitMs: number;
}

export const EVENT_STORE_ADAPTERS: readonly EventStoreAdapterName[] = ['sqlite', 'postgres', 'eventstoredb'];

/** Reads the event-store settings; a bad value throws a ConfigurationError naming the variable. */
export function eventStoreConfigFrom(env: Environment): EventStoreConfig {
  // @eventstore/db-client stays the default until the kurrent client has run against a live
  // KurrentDB here: its reads lean on the client's internals (eventstoredb/kurrentdb-grpc-reads.ts).
  const eventStoreDbClient = readChoice(env, 'EVENTSTOREDB_CLIENT', EVENTSTOREDB_CLIENTS, 'eventstore');
  return {
    adapter: readChoice(env, 'EVENT_STORE', EVENT_STORE_ADAPTERS, 'sqlite'),
    sqlitePath: readString(env, 'SQLITE_PATH', './data/salur.db'),
    postgresUrl: readUrl(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/salur', ['postgres:', 'postgresql:']),
    eventStoreDbUrl: readUrl(
      env,
      'EVENTSTOREDB_URL',
      'esdb://127.0.0.1:2113?tls=false',
      CONNECTION_STRING_PROTOCOLS[eventStoreDbClient],
    ),
    eventStoreDbClient,
    limits: {
      maxAppendBytes: readInteger(env, 'EVENT_STORE_MAX_APPEND_BYTES', DEFAULT_APPEND_LIMITS.maxAppendBytes, {
        min: 1_024,
        max: 16 * 1_048_576,
      }),
      maxEventsPerAppend: DEFAULT_APPEND_LIMITS.maxEventsPerAppend,
    },
    startupWaitMs: readInteger(env, 'EVENT_STORE_STARTUP_WAIT_SECONDS', 60, { min: 0, max: 3_600 }) * 1_000,
  };
}
