import {
  DeadlineExceededError,
  excludeSystemEvents,
  jsonEvent,
  KurrentDBClient,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { EventStoreDbClientPackage } from './eventstoredb-client';
import { readAllOverGrpc, readStreamOverGrpc } from './kurrentdb-grpc-reads';

const UNREACHABLE_ERRORS = [UnavailableError, DeadlineExceededError, TimeoutError, NotLeaderError];

/**
 * KurrentDB's client (1.x), the successor of @eventstore/db-client, for the same server. Appends
 * and subscriptions are its own; bounded reads are not (kurrentdb-grpc-reads.ts says why). Load it
 * through open-eventstoredb-client.ts.
 */
export const KURRENTDB_PACKAGE: EventStoreDbClientPackage = {
  connect(connectionString) {
    const client = KurrentDBClient.connectionString(withKurrentScheme(connectionString));
    return {
      appendToStream: (streamName, events, expectedRevision) =>
        client.appendToStream(
          streamName,
          events.map((event) => jsonEvent({ ...event })),
          { streamState: expectedRevision },
        ),
      readStream: (streamName, options) => readStreamOverGrpc(client, streamName, options),
      readAll: (options) => readAllOverGrpc(client, options),
      subscribeToAll: (fromPosition) => client.subscribeToAll({ fromPosition, filter: excludeSystemEvents() }),
      dispose: () => client.dispose(),
      refusedRevisionOf: (error) =>
        error instanceof WrongExpectedVersionError ? { actual: error.actualState ?? undefined } : undefined,
      isStreamNotFound: (error) => error instanceof StreamNotFoundError,
    };
  },
  isUnreachable: (error) => UNREACHABLE_ERRORS.some((kind) => error instanceof kind),
};

/** The client accepts `esdb://` but warns on the console at every connection that it is deprecated. */
function withKurrentScheme(connectionString: string): string {
  return connectionString.replace(/^esdb(\+discover)?:/, 'kurrentdb$1:');
}
