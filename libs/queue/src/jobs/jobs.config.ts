import { Environment, readInteger } from '@salur/config';

export interface JobsConfig {
  /** Attempts of a job whose failure may be transient, with exponential backoff from 1 s. */
  readonly jobAttempts: number;
  /** How often the jobs the ledger owes are put back on their queues if Redis lost them; 0: never. */
  readonly jobRecoveryIntervalMs: number;
}

export const JOBS_CONFIG = Symbol('JOBS_CONFIG');

export function jobsConfigFrom(env: Environment): JobsConfig {
  return {
    jobAttempts: readInteger(env, 'BANK_JOB_ATTEMPTS', 5, { min: 1, max: 20 }),
    jobRecoveryIntervalMs: readInteger(env, 'JOB_RECOVERY_INTERVAL', 60, { min: 0, max: 86_400 }) * 1_000,
  };
}
