import type { Environment } from '@salur/config';
import { personalDataConfigFrom, SqlPersonalDataKeyStore } from '@salur/personal-data';
import { existsSync } from 'node:fs';

/**
 * The personal-data key store as configured, for the erasure rule; none when its SQLite file was
 * never created (a ledger that never sealed anything), so the checker creates no file.
 */
export async function openKeyStoreIfPresent(env: Environment): Promise<SqlPersonalDataKeyStore | undefined> {
  const config = personalDataConfigFrom(env);
  const { keyDatabase } = config;
  if (
    keyDatabase.dialect === 'sqlite' &&
    (keyDatabase.sqlitePath === ':memory:' || !existsSync(keyDatabase.sqlitePath))
  ) {
    return undefined;
  }
  return SqlPersonalDataKeyStore.open(keyDatabase, config.masterKey);
}
