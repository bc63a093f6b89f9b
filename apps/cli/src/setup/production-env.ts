import { randomBytes } from 'node:crypto';
import { parseEnv } from 'node:util';
import { ledgerConfigFrom } from '@salur/application';
import { auditLogConfigFrom, generateNoteKey } from '@salur/audit-log';
import { jwtConfigFrom } from '@salur/http';
import { personalDataConfigFrom } from '@salur/personal-data';

/** Random bytes behind each symmetric secret: 256 bits or more, beyond any offline search. */
const JWT_SECRET_BYTES = 48;
const BENEFICIARY_ID_KEY_BYTES = 32;
/** PERSONAL_DATA_MASTER_KEY is exactly 32 bytes (AES-256), in padded base64 as its reader demands. */
const MASTER_KEY_BYTES = 32;

export interface FreshSecrets {
  readonly jwtSecret: string;
  readonly beneficiaryIdKey: string;
  readonly checkpointSigningKey: string;
  /** Public: the key inspectors pin to verify the checkpoints (salur-verify --vkey). */
  readonly checkpointVerifierKey: string;
  readonly personalDataMasterKey: string;
}

/**
 * New secrets, each in the format its reader expects. base64url for the two free-form ones, so
 * that no `+`, `/` or `=` needs quoting in any env-file dialect (Node's, Docker's, systemd's).
 */
export function freshSecrets(origin: string): FreshSecrets {
  const checkpointKey = generateNoteKey(origin);
  return {
    jwtSecret: randomBytes(JWT_SECRET_BYTES).toString('base64url'),
    beneficiaryIdKey: randomBytes(BENEFICIARY_ID_KEY_BYTES).toString('base64url'),
    checkpointSigningKey: checkpointKey.signerKey,
    checkpointVerifierKey: checkpointKey.vkey,
    personalDataMasterKey: randomBytes(MASTER_KEY_BYTES).toString('base64'),
  };
}

/**
 * The .env of a production install: the secrets, and the settings an operator most often changes,
 * the defaults active and the alternatives commented out. Comments stand on their own lines:
 * Docker's env files take everything after `=` as the value.
 */
export function productionEnvFile(secrets: FreshSecrets, options: { origin: string; writtenAt: string }): string {
  return `# Salur: production settings, written by \`npm run cli -- setup\` at ${options.writtenAt}.
# This file holds secrets: keep it mode 0600, out of version control, and backed up apart from
# the databases (the databases and this file together open everyone's personal data).
# Load it with \`node --env-file=.env …\` or docker compose \`env_file: .env\`.

# Production refuses to start when a secret below is missing, instead of using public development keys.
NODE_ENV=production

## Secrets
# Signs the API's bearer tokens (npm run cli -- token issue). Replacing it invalidates every token.
JWT_SECRET=${secrets.jwtSecret}
# Keys the beneficiary ids derived from NIKs. Never replace it once anyone is enrolled: ids would change.
BENEFICIARY_ID_KEY=${secrets.beneficiaryIdKey}
# Signs the audit log's checkpoints (C2SP signed note). A new key must be published to inspectors again.
CHECKPOINT_SIGNING_KEY=${secrets.checkpointSigningKey}
# Its public half, to publish for inspectors (salur-verify --vkey); the service does not read it.
# CHECKPOINT_VERIFIER_KEY=${secrets.checkpointVerifierKey}
# Protects every beneficiary's data key. Losing it erases all personal data: keep a copy apart.
PERSONAL_DATA_MASTER_KEY=${secrets.personalDataMasterKey}

## Where the ledger lives: the embedded default keeps SQLite files next to SQLITE_PATH.
EVENT_STORE=sqlite
SQLITE_PATH=./data/salur.db
# Or PostgreSQL (the read models, audit log and keys follow it into the same database):
# EVENT_STORE=postgres
# DATABASE_URL=postgres://salur@db.internal:5432/salur
# Or EventStoreDB, with the read models in PostgreSQL:
# EVENT_STORE=eventstoredb
# EVENTSTOREDB_URL=esdb://eventstore.internal:2113?tls=true
# READ_MODEL_DATABASE_URL=postgres://salur@db.internal:5432/salur

## The audit log
# The origin line of every checkpoint; also the signing key's name.
CHECKPOINT_ORIGIN=${options.origin}
# CHECKPOINT_INTERVAL=10s
# Witnesses whose cosignatures the log accepts (their verifier keys, comma-separated):
# AUDIT_WITNESS_KEYS=

## The API and its workers
PORT=3000
# REDIS_URL=redis://127.0.0.1:6379
# false: the workers run apart (npm run start:worker), with this same file.
# EMBEDDED_WORKERS=true
# Browser front ends allowed to call the API:
# CORS_ORIGINS=https://portal.example.go.id
# Only where the API is reached over TLS:
# HSTS_MAX_AGE=31536000
`;
}

/**
 * Reads the file back through the service's own readers, so a format this command got wrong
 * stops here rather than at the service's start. Throws on a bug; never echoes a secret.
 */
export function assertServiceReads(text: string, secrets: FreshSecrets): void {
  const env = parseEnv(text);
  const readBack =
    jwtConfigFrom(env).secret === secrets.jwtSecret &&
    ledgerConfigFrom(env).beneficiaryIdKey === secrets.beneficiaryIdKey &&
    auditLogConfigFrom(env).signingKey.verifier.vkey === secrets.checkpointVerifierKey &&
    personalDataConfigFrom(env).masterKey.equals(Buffer.from(secrets.personalDataMasterKey, 'base64'));
  if (!readBack) throw new Error('setup wrote secrets that the service reads differently (a bug in setup)');
}
