import { dirname, join } from 'node:path';
import { Environment, readChoice, readString, readUrl } from '@salur/config';
import type { EventStoreConfig } from '@salur/event-store';

export type ReadModelDialect = 'sqlite' | 'postgres';

export const READ_MODEL_DIALECTS: readonly ReadModelDialect[] = ['sqlite', 'postgres'];

export interface ReadModelConfig {
  readonly dialect: ReadModelDialect;
  /** The SQLite file of the read models: its own file, next to the events by default. */
  readonly sqlitePath: string;
  readonly postgresUrl: string;
}

const READ_MODEL_FILE_NAME = 'salur-read.db';

/**
 * Reads the read-model settings. The read models follow the event store unless told otherwise:
 * PostgreSQL (the same database by default) when the events are in PostgreSQL or when a
 * READ_MODEL_DATABASE_URL is given, else an SQLite file next to the events'.
 */
export function readModelConfigFrom(env: Environment, eventStore: EventStoreConfig): ReadModelConfig {
  const explicitUrl = readString(env, 'READ_MODEL_DATABASE_URL', '') !== '';
  const defaultDialect: ReadModelDialect = eventStore.adapter === 'postgres' || explicitUrl ? 'postgres' : 'sqlite';
  return {
    dialect: readChoice(env, 'READ_MODEL_STORE', READ_MODEL_DIALECTS, defaultDialect),
    sqlitePath: readString(env, 'READ_MODEL_SQLITE_PATH', defaultSqlitePath(eventStore.sqlitePath)),
    postgresUrl: readUrl(env, 'READ_MODEL_DATABASE_URL', eventStore.postgresUrl, ['postgres:', 'postgresql:']),
  };
}

function defaultSqlitePath(eventsPath: string): string {
  return eventsPath === ':memory:' ? ':memory:' : join(dirname(eventsPath), READ_MODEL_FILE_NAME);
}
