import {
  DeadlineExceededError,
  EventStoreDBClient,
  excludeSystemEvents,
  jsonEvent,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { EventStoreDbClientPackage } from './eventstoredb-client';

const UNREACHABLE_ERRORS = [UnavailableError, DeadlineExceededError, TimeoutError, NotLeaderError];

/** EventStoreDB's own client (6.2.1), every call on grpc-js. Load it through open-eventstoredb-client.ts. */
export const EVENTSTORE_PACKAGE: EventStoreDbClientPackage = {
  connect(connectionString) {
    const client = EventStoreDBClient.connectionString(connectionString);
    return {
      appendToStream: (streamName, events, expectedRevision) =>
        client.appendToStream(
          streamName,
          events.map((event) => jsonEvent({ ...event })),
          { expectedRevision },
        ),
      readStream: (streamName, options) => client.readStream(streamName, options),
      readAll: (options) => client.readAll(options),
      subscribeToAll: (fromPosition) => client.subscribeToAll({ fromPosition, filter: excludeSystemEvents() }),
      dispose: () => client.dispose(),
      refusedRevisionOf: (error) => {
        if (!(error instanceof WrongExpectedVersionError)) return undefined;
        const actual = error.actualVersion;
        return { actual: typeof actual === 'bigint' || actual === 'no_stream' ? actual : undefined };
      },
      isStreamNotFound: (error) => error instanceof StreamNotFoundError,
    };
  },
  isUnreachable: (error) => UNREACHABLE_ERRORS.some((kind) => error instanceof kind),
};
