import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, PostgresEventStore, SqliteEventStore } from '@salur/event-store';
import { createFreshDatabase } from '../../support/postgres';
import { type ReadModelConfig } from '@salur/database';

/** An event store and an empty read-model database for one test, on one dialect. */
export interface Backend {
  readonly store: EventStore;
  readonly readModel: ReadModelConfig;
  /** The same stores as environment variables, for a child process (the CLI). */
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

export type BackendFactory = () => Promise<Backend>;

/** Events and read models in two SQLite files of a fresh temporary directory. */
export const sqliteBackend: BackendFactory = async () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-projections-'));
  const store = new SqliteEventStore({ path: join(directory, 'events.db'), pollIntervalMs: 20 });
  return {
    store,
    readModel: { dialect: 'sqlite', sqlitePath: join(directory, 'read.db'), postgresUrl: 'postgres://unused' },
    env: {
      EVENT_STORE: 'sqlite',
      SQLITE_PATH: join(directory, 'events.db'),
      READ_MODEL_SQLITE_PATH: join(directory, 'read.db'),
    },
    async dispose() {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
};

/** Events and read models in one fresh PostgreSQL database, as in production by default. */
export const postgresBackend: BackendFactory = async () => {
  const database = await createFreshDatabase('projections');
  const store = await PostgresEventStore.connect({ connectionString: database.url, pollIntervalMs: 100 });
  return {
    store,
    readModel: { dialect: 'postgres', sqlitePath: ':memory:', postgresUrl: database.url },
    env: { EVENT_STORE: 'postgres', DATABASE_URL: database.url },
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
};
