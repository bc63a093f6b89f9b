import type { EventStoreDbClient, EventStoreDbClientName, EventStoreDbClientPackage } from './eventstoredb-client';

/**
 * Each package is loaded only once chosen, never both in one process: both ship protobuf code
 * generated into one global `proto` namespace, and the package loaded last replaces the other's
 * message classes (seen: the kurrent client's appends fail once @eventstore/db-client loads after it).
 */
const LOAD: Readonly<Record<EventStoreDbClientName, () => Promise<EventStoreDbClientPackage>>> = {
  eventstore: async () => (await import('./eventstore-package')).EVENTSTORE_PACKAGE,
  kurrentdb: async () => (await import('./kurrentdb-package')).KURRENTDB_PACKAGE,
};

/** The packages this process has loaded; only they can have thrown their errors. */
const loaded = new Set<EventStoreDbClientPackage>();

export async function openEventStoreDbClient(
  name: EventStoreDbClientName,
  connectionString: string,
): Promise<EventStoreDbClient> {
  const clientPackage = await LOAD[name]();
  loaded.add(clientPackage);
  return clientPackage.connect(connectionString);
}

/** Whether a client error means no server answered, without loading a package to find out. */
export function isUnreachableClientError(error: unknown): boolean {
  return [...loaded].some((clientPackage) => clientPackage.isUnreachable(error));
}
