import { LedgerConfig, ledgerConfigFrom } from '@salur/application';
import { BankIntegrationConfig, bankIntegrationConfigFrom } from '@salur/bank-integration';
import { Environment, refuseDevelopmentSecretsInProduction } from '@salur/config';
import { EventStoreConfig, eventStoreConfigFrom } from '@salur/event-store';
import { PersonalDataConfig, personalDataConfigFrom } from '@salur/personal-data';
import { LoggingConfig, loggingConfigFrom } from '@salur/http';
import { JobsConfig, jobsConfigFrom, QueueConfig, queueConfigFrom } from '@salur/queue';

export interface WorkerConfig {
  readonly eventStore: EventStoreConfig;
  readonly queue: QueueConfig;
  /** Job attempts and recovery (BANK_JOB_ATTEMPTS, JOB_RECOVERY_INTERVAL). */
  readonly jobs: JobsConfig;
  /** Batch limits and approval tiers (build batches), the key of beneficiary ids. */
  readonly ledger: LedgerConfig;
  /** Bank files directory, BICs, treasury account (BANK_*, TREASURY_*). */
  readonly bankIntegration: BankIntegrationConfig;
  /** The subjects' keys: the worker seals what it writes and opens what bank files need (PERSONAL_DATA_*). */
  readonly personalData: PersonalDataConfig;
  /** JSON logs (LOG_LEVEL). */
  readonly logging: LoggingConfig;
}

/**
 * The worker's secrets that fall back to development keys when unset: refused when unset under
 * NODE_ENV=production. Only those it reads: it signs no tokens and no checkpoints, so JWT_SECRET
 * and CHECKPOINT_SIGNING_KEY need not be handed to it (nor would their absence weaken it).
 */
export const WORKER_SECRETS: readonly string[] = ['BENEFICIARY_ID_KEY', 'PERSONAL_DATA_MASTER_KEY'];

export function workerConfigFrom(env: Environment): WorkerConfig {
  refuseDevelopmentSecretsInProduction(env, WORKER_SECRETS);
  return {
    eventStore: eventStoreConfigFrom(env),
    queue: queueConfigFrom(env),
    jobs: jobsConfigFrom(env),
    ledger: ledgerConfigFrom(env),
    bankIntegration: bankIntegrationConfigFrom(env),
    personalData: personalDataConfigFrom(env),
    logging: loggingConfigFrom(env),
  };
}
