import type { EventStore } from '@salur/event-store';
import { LEDGER_STREAM } from '@salur/queue';
import { DemoRefusal } from './demo-folder';
import { type DemoSettings, eventStoreServerOf } from './demo-settings';

/**
 * The folder was empty or cleared, but the events may live elsewhere (PostgreSQL, EventStoreDB,
 * an SQLITE_PATH of the user's): a round played on top of another ledger would show a mix. A new
 * store holds one event, the ledger's identity, written at start-up.
 */
export async function refuseStoreInUse(
  store: EventStore,
  settings: DemoSettings,
  show: (path: string) => string,
): Promise<void> {
  for await (const event of store.readAll({ maxCount: 2 })) {
    if (event.streamName === LEDGER_STREAM) continue;
    const { eventStore } = settings.config;
    const where = eventStore.adapter === 'sqlite' ? show(eventStore.sqlitePath) : eventStoreServerOf(settings.config);
    throw new DemoRefusal(
      `The event store (${where}) already holds events. The demo plays its round only into an empty store, ` +
        'so that what it shows is its own: point the store settings at an empty one.',
    );
  }
}
