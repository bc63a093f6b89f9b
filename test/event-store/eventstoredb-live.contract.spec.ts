import { EventStoreDbEventStore } from '@salur/event-store';
import { describeEventStoreContract } from './contract';

// The same contract against a real EventStoreDB, when one is given. The suite only uses
// streams unique to each test, so a shared, non-empty server is fine.
const connectionString = process.env.EVENTSTOREDB_URL;

if (connectionString) {
  describeEventStoreContract(`eventstoredb (live server at ${redactCredentials(connectionString)})`, {
    open: (limits) => EventStoreDbEventStore.connect({ connectionString, limits }),
  });
} else {
  const reason =
    'EventStoreDB live contract skipped: set EVENTSTOREDB_URL=esdb://host:2113?tls=false to run it against a real server';
  console.warn(reason);
  describe.skip(reason, () => {
    it('runs the event-store contract against a real EventStoreDB', () => undefined);
  });
}

/** Test names are printed; a connection string may carry a password. */
function redactCredentials(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}
