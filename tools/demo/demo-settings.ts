import { join } from 'node:path';
import { auditDatabaseFrom } from '@salur/audit-log';
import { bankIntegrationConfigFrom } from '@salur/bank-integration';
import type { Environment } from '@salur/config';
import { type ReadModelConfig, readModelConfigFrom } from '@salur/database';
import { eventStoreConfigFrom } from '@salur/event-store';
import { idempotencyDatabaseFrom } from '@salur/http';
import { personalDataConfigFrom } from '@salur/personal-data';
import { ApiConfig, apiConfigFrom } from '../../apps/api/src/api.config';

/**
 * Every path setting the config readers under libs/ know, pointed into the demo folder
 * when the user left it unset. The idempotency records have no setting of their own: they sit
 * next to SQLITE_PATH.
 */
export function folderDefaults(folder: string): Record<string, string> {
  return {
    SQLITE_PATH: join(folder, 'salur.db'),
    READ_MODEL_SQLITE_PATH: join(folder, 'salur-read.db'),
    AUDIT_LOG_SQLITE_PATH: join(folder, 'salur-audit.db'),
    PERSONAL_DATA_SQLITE_PATH: join(folder, 'salur-keys.db'),
    BANK_FILES_DIR: join(folder, 'bank-files'),
  };
}

export interface DemoSettings {
  /** The environment the API is configured from: the user's, with the demo's defaults. */
  readonly env: Environment;
  /** The variables the demo filled in, each because the user had left it unset. */
  readonly filled: Readonly<Record<string, string>>;
  readonly config: ApiConfig;
}

export interface DemoChoices {
  readonly folder: string;
  /** Used when QUEUE_PREFIX is unset: the demo's jobs then get keys of their own, removed at the end. */
  readonly queuePrefix: string;
  /** Used when CHECKPOINT_SIGNING_KEY is unset (see checkpoint-key.ts). */
  readonly signingKey: string | undefined;
}

/** The user's settings win; the demo only fills the gaps (and runs the workers in its own process). */
export function demoSettings(userEnv: Environment, choices: DemoChoices): DemoSettings {
  const wanted: Record<string, string | undefined> = {
    ...folderDefaults(choices.folder),
    // Request logs would bury the story; LOG_LEVEL=info brings them back.
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: choices.queuePrefix,
    CHECKPOINT_SIGNING_KEY: choices.signingKey,
  };
  const filled: Record<string, string> = {};
  for (const [variable, value] of Object.entries(wanted)) {
    if (value !== undefined && isUnset(userEnv, variable)) filled[variable] = value;
  }
  // The demo follows its jobs to the end, so they must run here: a separate worker would not
  // know the demo's queue prefix.
  const env = { ...userEnv, ...filled, EMBEDDED_WORKERS: 'true' };
  return { env, filled, config: apiConfigFrom(env) };
}

/** As the config readers see it: unset, or blank. */
export function isUnset(env: Environment, variable: string): boolean {
  return !env[variable]?.trim();
}

/** Where the service keeps its state on disk under these settings; absent entries live in PostgreSQL. */
export interface StorePaths {
  readonly events?: string;
  readonly readModels?: string;
  readonly auditLog?: string;
  readonly personalDataKeys?: string;
  readonly idempotencyRecords?: string;
  readonly bankFiles: string;
}

/** Read with the service's own readers (and only those: the ledger's settings warn on every read). */
export function storePathsFrom(env: Environment): StorePaths {
  const eventStore = eventStoreConfigFrom(env);
  return {
    events: eventStore.adapter === 'sqlite' ? eventStore.sqlitePath : undefined,
    readModels: sqlitePathOf(readModelConfigFrom(env, eventStore)),
    auditLog: sqlitePathOf(auditDatabaseFrom(env)),
    personalDataKeys: sqlitePathOf(personalDataConfigFrom(env).keyDatabase),
    idempotencyRecords: sqlitePathOf(idempotencyDatabaseFrom(env)),
    bankFiles: bankIntegrationConfigFrom(env).filesDir,
  };
}

function sqlitePathOf(database: ReadModelConfig): string | undefined {
  return database.dialect === 'sqlite' ? database.sqlitePath : undefined;
}

/**
 * The filled-in path variables that `npm start` needs to find the same data: those whose absence
 * would move something. READ_MODEL_SQLITE_PATH and its kind are usually not needed, since the
 * service puts those files next to SQLITE_PATH by itself.
 */
export function pathVariablesToRepeat(settings: DemoSettings): string[] {
  const paths = JSON.stringify(storePathsFrom(settings.env));
  return Object.keys(folderDefaults('')).filter((variable) => {
    if (!(variable in settings.filled)) return false;
    const without = { ...settings.env, [variable]: undefined };
    return JSON.stringify(storePathsFrom(without)) !== paths;
  });
}

/** Where the events are when they are not in a file, the password left out. */
export function eventStoreServerOf(config: ApiConfig): string | undefined {
  switch (config.eventStore.adapter) {
    case 'postgres':
      return `PostgreSQL ${withoutPassword(config.eventStore.postgresUrl)}`;
    case 'eventstoredb':
      return `EventStoreDB ${withoutPassword(config.eventStore.eventStoreDbUrl)}`;
    default:
      return undefined;
  }
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
