import { LedgerConfig, ledgerConfigFrom } from '@salur/application';
import { AuditLogConfig, auditLogConfigFrom } from '@salur/audit-log';
import { BankIntegrationConfig, bankIntegrationConfigFrom } from '@salur/bank-integration';
import { Environment, readChoice, readInteger, refuseDevelopmentSecretsInProduction } from '@salur/config';
import { EventStoreConfig, eventStoreConfigFrom } from '@salur/event-store';
import { HttpPlatformConfig, httpPlatformConfigFrom, LoggingConfig, loggingConfigFrom } from '@salur/http';
import { ReadModelConfig, readModelConfigFrom } from '@salur/database';
import { PersonalDataConfig, personalDataConfigFrom } from '@salur/personal-data';
import { JobsConfig, jobsConfigFrom, QueueConfig, queueConfigFrom } from '@salur/queue';

export interface ApiConfig {
  readonly port: number;
  /** The embedded default runs the workers in the API's process; production runs them apart. */
  readonly embeddedWorkers: boolean;
  /**
   * Where the read models are projected and the audit log followed and signed (PROJECTIONS):
   * in this process (the embedded default), or in the projector app (apps/projector). The API
   * migrates the tables either way, so it can answer queries before the projector starts.
   */
  readonly projections: ProjectionsPlacement;
  readonly eventStore: EventStoreConfig;
  readonly queue: QueueConfig;
  /** Job attempts and recovery (BANK_JOB_ATTEMPTS, JOB_RECOVERY_INTERVAL). */
  readonly jobs: JobsConfig;
  /** Authentication (JWT_SECRET) and idempotency. */
  readonly http: HttpPlatformConfig;
  /** Approval tiers, batch limits, the key of beneficiary ids. */
  readonly ledger: LedgerConfig;
  /** Where the read models live (READ_MODEL_*). */
  readonly readModel: ReadModelConfig;
  /** The Merkle log's checkpoint key, origin and interval (CHECKPOINT_*, AUDIT_WITNESS_KEYS). */
  readonly auditLog: AuditLogConfig;
  /** Bank files directory, BICs, treasury account (BANK_*, TREASURY_*). */
  readonly bankIntegration: BankIntegrationConfig;
  /** The subjects' keys and the master key that protects them (PERSONAL_DATA_*). */
  readonly personalData: PersonalDataConfig;
  /** JSON logs (LOG_LEVEL). */
  readonly logging: LoggingConfig;
}

/**
 * The API's secrets that fall back to development keys when unset (http, ledger, audit log,
 * personal data): refused when unset under NODE_ENV=production. `npm run cli -- setup` writes them all.
 */
export const API_SECRETS: readonly string[] = [
  'JWT_SECRET',
  'BENEFICIARY_ID_KEY',
  'CHECKPOINT_SIGNING_KEY',
  'PERSONAL_DATA_MASTER_KEY',
];

export type ProjectionsPlacement = 'in-process' | 'separate';

export const PROJECTIONS_PLACEMENTS: readonly ProjectionsPlacement[] = ['in-process', 'separate'];

export function apiConfigFrom(env: Environment): ApiConfig {
  refuseDevelopmentSecretsInProduction(env, API_SECRETS);
  const eventStore = eventStoreConfigFrom(env);
  return {
    port: readInteger(env, 'PORT', 3000, { min: 0, max: 65_535 }),
    embeddedWorkers: readChoice(env, 'EMBEDDED_WORKERS', ['true', 'false'], 'true') === 'true',
    projections: readChoice(env, 'PROJECTIONS', PROJECTIONS_PLACEMENTS, 'in-process'),
    eventStore,
    queue: queueConfigFrom(env),
    jobs: jobsConfigFrom(env),
    http: httpPlatformConfigFrom(env),
    ledger: ledgerConfigFrom(env),
    readModel: readModelConfigFrom(env, eventStore),
    auditLog: auditLogConfigFrom(env),
    bankIntegration: bankIntegrationConfigFrom(env),
    personalData: personalDataConfigFrom(env),
    logging: loggingConfigFrom(env),
  };
}
