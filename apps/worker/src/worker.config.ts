import { LedgerConfig, ledgerConfigFrom } from '@salur/application';
import { BankIntegrationConfig, bankIntegrationConfigFrom } from '@salur/bank-integration';
import { Environment } from '@salur/config';
import { EventStoreConfig, eventStoreConfigFrom } from '@salur/event-store';
import { PersonalDataConfig, personalDataConfigFrom } from '@salur/personal-data';
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
}

export function workerConfigFrom(env: Environment): WorkerConfig {
  return {
    eventStore: eventStoreConfigFrom(env),
    queue: queueConfigFrom(env),
    jobs: jobsConfigFrom(env),
    ledger: ledgerConfigFrom(env),
    bankIntegration: bankIntegrationConfigFrom(env),
    personalData: personalDataConfigFrom(env),
  };
}
