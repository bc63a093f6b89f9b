import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { ConfigurationError, Environment, readString } from '@salur/config';
import { ReadModelConfig, readModelConfigFrom } from '@salur/database';
import { eventStoreConfigFrom } from '@salur/event-store';

export interface PersonalDataConfig {
  /** Where the subjects' data keys live (PERSONAL_DATA_SQLITE_PATH, or the read-model PostgreSQL). */
  readonly keyDatabase: ReadModelConfig;
  /** Encrypts every data key at rest (PERSONAL_DATA_MASTER_KEY: 32 bytes, base64). */
  readonly masterKey: Buffer;
  /** True when PERSONAL_DATA_MASTER_KEY was unset: a fixed development key is in use. */
  readonly usesDevelopmentKey: boolean;
}

const MASTER_KEY_BYTES = 32;
const KEY_FILE_NAME = 'salur-keys.db';
/** Known to everyone, so only for development; the warning at start-up says so. */
const DEVELOPMENT_MASTER_KEY = createHash('sha256').update('salur development personal-data master key').digest();

export const DEVELOPMENT_MASTER_KEY_WARNING =
  'PERSONAL_DATA_MASTER_KEY is not set: data keys are protected with the public development key. ' +
  'Production must set its own (npm run cli -- personal-data keygen) and keep it apart from the databases.';

/**
 * On SQLite the keys get a file of their own, never the read models' (which may be deleted and
 * rebuilt at will: deleting the keys would erase everyone) and never the events' (a copy of the
 * events must not carry the means to read them). On PostgreSQL, a table of the read-model database.
 */
function keyDatabaseFrom(env: Environment): ReadModelConfig {
  const eventStore = eventStoreConfigFrom(env);
  const readModels = readModelConfigFrom(env, eventStore);
  if (readModels.dialect !== 'sqlite') return readModels;
  const beside =
    eventStore.sqlitePath === ':memory:' ? ':memory:' : join(dirname(eventStore.sqlitePath), KEY_FILE_NAME);
  return { ...readModels, sqlitePath: readString(env, 'PERSONAL_DATA_SQLITE_PATH', beside) };
}

export function personalDataConfigFrom(env: Environment): PersonalDataConfig {
  const encoded = readString(env, 'PERSONAL_DATA_MASTER_KEY', '');
  if (encoded === '') {
    return { keyDatabase: keyDatabaseFrom(env), masterKey: DEVELOPMENT_MASTER_KEY, usesDevelopmentKey: true };
  }
  const masterKey = Buffer.from(encoded, 'base64');
  if (masterKey.length !== MASTER_KEY_BYTES || masterKey.toString('base64') !== encoded.trim()) {
    throw new ConfigurationError('PERSONAL_DATA_MASTER_KEY', `must be ${MASTER_KEY_BYTES} bytes in base64`);
  }
  return { keyDatabase: keyDatabaseFrom(env), masterKey, usesDevelopmentKey: false };
}
