import { EventStoreConfig, EventStoreDbEventStore } from '@salur/event-store';
import { describeEventStoreContract } from './contract';

type ClientName = NonNullable<EventStoreConfig['eventStoreDbClient']>;

/**
 * The contract against a real server at EVENTSTOREDB_URL, when one is given, through one client
 * package (each has its own spec file: both cannot load in one process). The suite only uses
 * streams unique to each test, so a shared, non-empty server is fine.
 */
export function describeLiveContract(client: ClientName): void {
  const connectionString = process.env.EVENTSTOREDB_URL;
  if (connectionString) {
    describeEventStoreContract(
      `eventstoredb on the ${client} client (live server at ${redactCredentials(connectionString)})`,
      {
        open: (limits) => EventStoreDbEventStore.connect({ connectionString, limits, client }),
      },
    );
    return;
  }
  const reason =
    `EventStoreDB live contract (${client} client) skipped: set EVENTSTOREDB_URL=esdb://host:2113?tls=false ` +
    'to run it against a real server';
  console.warn(reason);
  describe.skip(reason, () => {
    it('runs the event-store contract against a real server', () => undefined);
  });
}

/** Test names are printed; a connection string may carry a password. */
function redactCredentials(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}
