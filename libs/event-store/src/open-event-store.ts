import { DependencyUnavailableError, reasonOf } from '@salur/config';
import { guardAvailability } from './availability-guard';
import { EventStoreConfig } from './event-store.config';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { UNREACHABLE } from './unreachable';

/**
 * Opens the configured adapter, the one place that knows all three, seen through the availability
 * guard: an unreachable server is reported as DependencyUnavailableError('event-store').
 */
export async function openEventStore(
  config: EventStoreConfig,
  onWait: (message: string) => void = () => undefined,
): Promise<EventStore> {
  const isUnreachable = UNREACHABLE[config.adapter];
  const deadline = Date.now() + config.startupWaitMs;
  for (let attempt = 1; ; attempt++) {
    let opened: EventStore | undefined;
    try {
      opened = guardAvailability(await openAdapter(config), isUnreachable);
      // Everything that starts after this (the ledger's identity, the runners) may rely on one answer.
      await opened.ping();
      return opened;
    } catch (error) {
      await opened?.close().catch(() => undefined);
      if (!(error instanceof DependencyUnavailableError) && !isUnreachable(error)) throw error;
      const reason = reasonOf(error);
      if (Date.now() >= deadline) {
        throw new DependencyUnavailableError(
          'event-store',
          `${config.adapter}: ${reason} (waited ${Math.round(config.startupWaitMs / 1_000)} s: EVENT_STORE_STARTUP_WAIT_SECONDS)`,
          { cause: error },
        );
      }
      onWait(`The event store (${config.adapter}) does not answer yet: ${reason}. Trying again.`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(STARTUP_RETRY_MAX_MS, 250 * attempt)));
    }
  }
}

/** Retries of a start-up that waits for its store back off to this. */
const STARTUP_RETRY_MAX_MS = 5_000;

async function openAdapter(config: EventStoreConfig): Promise<EventStore> {
  switch (config.adapter) {
    case 'sqlite':
      return new SqliteEventStore({ path: config.sqlitePath, limits: config.limits });
    case 'postgres':
      return PostgresEventStore.connect({ connectionString: config.postgresUrl, limits: config.limits });
    case 'eventstoredb':
      return EventStoreDbEventStore.connect({
        connectionString: config.eventStoreDbUrl,
        limits: config.limits,
        client: config.eventStoreDbClient,
      });
  }
}
