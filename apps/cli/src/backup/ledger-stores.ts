import { resolve } from 'node:path';
import { auditDatabaseFrom } from '@salur/audit-log';
import type { DependencyName, Environment } from '@salur/config';
import { ReadModelConfig, readModelConfigFrom } from '@salur/database';
import { eventStoreConfigFrom } from '@salur/event-store';
import { idempotencyDatabaseFrom } from '@salur/http';
import { personalDataConfigFrom } from '@salur/personal-data';

/** What a ledger keeps, named as the dependencies are named in errors and /health. */
export type StoreRole = Exclude<DependencyName, 'queue'>;

export interface SqliteStore {
  readonly role: StoreRole;
  /** Absolute: the manifest records where each file came from. */
  readonly path: string;
}

export interface PostgresDatabase {
  readonly url: string;
  readonly roles: readonly StoreRole[];
}

/** Where the configuration puts each store, read with the service's own config readers. */
export interface LedgerStores {
  /** In the order a backup copies them: see ledgerStoresFrom. */
  readonly sqlite: readonly SqliteStore[];
  readonly postgres: readonly PostgresDatabase[];
  /** EVENTSTOREDB_URL when the events are in EventStoreDB. */
  readonly eventStoreDbUrl?: string;
}

/**
 * The stores in backup order. Each file is copied consistently on its own, not all at one
 * instant, so the order decides what a backup taken under load may hold:
 * - the read models and the audit log before the events: they follow the events, so their copy
 *   never holds an event the events' copy lacks (they catch up after a restore);
 * - the idempotency records before the events: a finished request's record is written after its
 *   events, so a record in the copy always has its events in the copy;
 * - the subjects' keys after the events: a key is made before the first event sealed with it, so
 *   every sealed event in the copy finds its key.
 */
export function ledgerStoresFrom(env: Environment): LedgerStores {
  const eventStore = eventStoreConfigFrom(env);
  const placed: [StoreRole, ReadModelConfig | undefined][] = [
    ['read-models', readModelConfigFrom(env, eventStore)],
    ['audit-log', auditDatabaseFrom(env)],
    ['idempotency-store', idempotencyDatabaseFrom(env)],
    [
      'event-store',
      eventStore.adapter === 'eventstoredb'
        ? undefined
        : { dialect: eventStore.adapter, sqlitePath: eventStore.sqlitePath, postgresUrl: eventStore.postgresUrl },
    ],
    ['key-store', personalDataConfigFrom(env).keyDatabase],
  ];
  const sqlite: SqliteStore[] = [];
  const postgres = new Map<string, StoreRole[]>();
  for (const [role, config] of placed) {
    if (config === undefined) continue;
    // ':memory:' lives and dies with its process: there is no file to copy.
    if (config.dialect === 'sqlite' && config.sqlitePath !== ':memory:') {
      sqlite.push({ role, path: resolve(config.sqlitePath) });
    }
    if (config.dialect === 'postgres')
      postgres.set(config.postgresUrl, [...(postgres.get(config.postgresUrl) ?? []), role]);
  }
  return {
    sqlite,
    postgres: [...postgres].map(([url, roles]) => ({ url, roles })),
    ...(eventStore.adapter === 'eventstoredb' ? { eventStoreDbUrl: eventStore.eventStoreDbUrl } : {}),
  };
}

/** The file a store's copy has inside a backup directory. */
export function backupFileName(role: StoreRole): string {
  return `${role}.db`;
}
