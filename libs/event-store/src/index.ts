export * from './event-store.port';
export * from './errors';
export { type AppendLimits, DEFAULT_APPEND_LIMITS } from './append-rules';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export * from './event-store.config';
export { openEventStore } from './open-event-store';
export { EventStoreModule } from './event-store.module';
