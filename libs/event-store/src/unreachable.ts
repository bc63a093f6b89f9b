import type { EventStoreAdapterName } from './event-store.port';
import { isUnreachableClientError } from './eventstoredb/open-eventstoredb-client';
import { isConnectionLost } from './postgres/connection-lost';
import type { UnreachableTest } from './availability-guard';

/** node-postgres when the pool cannot hand out a connection in time, or the host name does not resolve. */
const POSTGRES_UNREACHABLE_MESSAGES = [/timeout exceeded when trying to connect/i, /getaddrinfo (ENOTFOUND|EAI_AGAIN)/];

/** Each adapter's test for "the server could not be reached"; the embedded SQLite file is never away. */
export const UNREACHABLE: Readonly<Record<EventStoreAdapterName, UnreachableTest>> = {
  sqlite: () => false,
  postgres: (error) =>
    isConnectionLost(error) ||
    (error instanceof Error && POSTGRES_UNREACHABLE_MESSAGES.some((pattern) => pattern.test(error.message))),
  // Either client package's unavailable, deadline, timeout and not-leader errors.
  eventstoredb: isUnreachableClientError,
};
