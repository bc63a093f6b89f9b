import { EventStoreConfig } from './event-store.config';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** Opens the configured adapter; the one place that knows all three. */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.adapter) {
    case 'sqlite':
      return new SqliteEventStore({ path: config.sqlitePath, limits: config.limits });
    case 'postgres':
      return PostgresEventStore.connect({ connectionString: config.postgresUrl, limits: config.limits });
    case 'eventstoredb':
      return EventStoreDbEventStore.connect({ connectionString: config.eventStoreDbUrl, limits: config.limits });
  }
}
