import { dirname, join } from 'node:path';
import { ConfigurationError, Environment, readString } from '@salur/config';
import { eventStoreConfigFrom } from '@salur/event-store';
import { ReadModelConfig, readModelConfigFrom } from '@salur/database';
import {
  ED25519_NOTE_SIGNATURE,
  generateNoteKey,
  isValidKeyName,
  NoteKeyError,
  NoteSignerKey,
  NoteVerifierKey,
  parseSignerKey,
  parseVerifierKey,
} from './domain';

export interface AuditLogConfig {
  /** Where the log's tables live: the read-model database (READ_MODEL_*). */
  readonly database: ReadModelConfig;
  /** The checkpoints' origin line (CHECKPOINT_ORIGIN). */
  readonly origin: string;
  /** The checkpoint signing key (CHECKPOINT_SIGNING_KEY, or an ephemeral development key). */
  readonly signingKey: NoteSignerKey;
  /** True when CHECKPOINT_SIGNING_KEY was unset: checkpoints cannot be verified after a restart. */
  readonly ephemeralKey: boolean;
  /** A checkpoint is signed at least this often while the log grows (CHECKPOINT_INTERVAL). */
  readonly checkpointIntervalMs: number;
  /** Witnesses whose cosignatures are accepted (AUDIT_WITNESS_KEYS, vkeys). */
  readonly witnesses: readonly NoteVerifierKey[];
}

export const DEFAULT_CHECKPOINT_ORIGIN = 'salur.example/ledger';
const MIN_CHECKPOINT_INTERVAL_MS = 100;
const MAX_CHECKPOINT_INTERVAL_MS = 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000 };

export const EPHEMERAL_KEY_WARNING =
  'CHECKPOINT_SIGNING_KEY is not set: audit checkpoints are signed with an EPHEMERAL development key made at start-up. ' +
  'Its checkpoints cannot be verified once the process restarts, and inspectors cannot pin it. Production must set ' +
  'CHECKPOINT_SIGNING_KEY (npm run cli -- audit keygen) and publish the verifier key.';

/**
 * The log's tables: in PostgreSQL, the read-model database; in SQLite, a file of their own
 * (AUDIT_LOG_SQLITE_PATH, next to the events by default). Two writers on one SQLite file in one
 * process stall each other: better-sqlite3 waits for the lock synchronously, blocking the very
 * event loop the other writer needs to commit.
 */
export function auditDatabaseFrom(env: Environment): ReadModelConfig {
  const eventStore = eventStoreConfigFrom(env);
  const readModels = readModelConfigFrom(env, eventStore);
  if (readModels.dialect !== 'sqlite') return readModels;
  const beside =
    eventStore.sqlitePath === ':memory:' ? ':memory:' : join(dirname(eventStore.sqlitePath), AUDIT_LOG_FILE_NAME);
  return { ...readModels, sqlitePath: readString(env, 'AUDIT_LOG_SQLITE_PATH', beside) };
}

const AUDIT_LOG_FILE_NAME = 'salur-audit.db';

/** Reads the audit log's settings; a bad value throws a ConfigurationError naming the variable. */
export function auditLogConfigFrom(env: Environment): AuditLogConfig {
  const origin = readString(env, 'CHECKPOINT_ORIGIN', DEFAULT_CHECKPOINT_ORIGIN);
  if (!isValidKeyName(origin)) {
    throw new ConfigurationError(
      'CHECKPOINT_ORIGIN',
      `'${origin}' must be non-empty, without spaces or '+' (e.g. salur.example/ledger)`,
    );
  }
  const encoded = readString(env, 'CHECKPOINT_SIGNING_KEY', '');
  const signingKey = encoded ? signingKeyFrom(encoded) : parseSignerKey(generateNoteKey(origin).signerKey);
  return {
    database: auditDatabaseFrom(env),
    origin,
    signingKey,
    ephemeralKey: !encoded,
    checkpointIntervalMs: intervalFrom(readString(env, 'CHECKPOINT_INTERVAL', '10s')),
    witnesses: witnessesFrom(readString(env, 'AUDIT_WITNESS_KEYS', '')),
  };
}

function signingKeyFrom(encoded: string): NoteSignerKey {
  try {
    const key = parseSignerKey(encoded);
    if (key.type !== ED25519_NOTE_SIGNATURE) throw new NoteKeyError('it is a cosigner (witness) key, not a log key');
    return key;
  } catch (error) {
    // The message never repeats the key: it is a secret.
    throw new ConfigurationError(
      'CHECKPOINT_SIGNING_KEY',
      `${(error as Error).message}; generate one with npm run cli -- audit keygen`,
    );
  }
}

/** `10s`, `500ms`, `2m`, or a number of seconds. */
function intervalFrom(text: string): number {
  const match = /^([1-9][0-9]{0,6})(ms|s|m)?$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] ?? 's'] : NaN;
  if (!(ms >= MIN_CHECKPOINT_INTERVAL_MS && ms <= MAX_CHECKPOINT_INTERVAL_MS)) {
    throw new ConfigurationError('CHECKPOINT_INTERVAL', `'${text}' is not a duration from 100ms to 60m (e.g. 10s)`);
  }
  return ms;
}

function witnessesFrom(text: string): NoteVerifierKey[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((vkey) => {
      try {
        return parseVerifierKey(vkey);
      } catch (error) {
        throw new ConfigurationError('AUDIT_WITNESS_KEYS', (error as Error).message);
      }
    });
}
