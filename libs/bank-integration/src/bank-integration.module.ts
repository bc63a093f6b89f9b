import { DynamicModule, Module } from '@nestjs/common';
import { BankFileWriter } from './application/bank-file-writer';
import { BankResultsIngestion } from './application/bank-results-ingestion';
import { BatchBuilder } from './application/batch-builder';
import { BatchSubmission } from './application/batch-submission';
import { PaymentReissue } from './application/payment-reissue';
import { RoundOpener } from './application/round-opener';
import { BANK_INTEGRATION_CONFIG, BankIntegrationConfig } from './bank-integration.config';
import { BankFilesController } from './http/bank-files.controller';
import { BankResultsController } from './http/bank-results.controller';
import { JobsController } from './http/jobs.controller';
import { RoundsController } from './http/rounds.controller';
import { BankJobs } from './jobs/bank-jobs';
import { BankJobLedger } from './recovery/bank-job-ledger';
import { JobRecovery } from './recovery/job-recovery';
import { RecordedRuns } from './recovery/recorded-runs';

const SERVICES = [
  RoundOpener,
  BatchBuilder,
  BankFileWriter,
  BatchSubmission,
  BankResultsIngestion,
  PaymentReissue,
  BankJobs,
  BankJobLedger,
  RecordedRuns,
];

/**
 * The services the bank-integration jobs run on: give it to WorkersModule.forRoot's imports in
 * the worker app and the embedded default. Needs EVENT_STORE, LEDGER_CONFIG and the queue's
 * RedisConnection (global). Its JobRecovery puts back the jobs Redis lost, wherever the module
 * runs (worker app or API: adding a job already queued changes nothing).
 */
@Module({})
export class BankIntegrationJobsModule {
  static forRoot(config: BankIntegrationConfig): DynamicModule {
    return {
      module: BankIntegrationJobsModule,
      providers: [{ provide: BANK_INTEGRATION_CONFIG, useValue: config }, ...SERVICES, JobRecovery],
      exports: [BANK_INTEGRATION_CONFIG, ...SERVICES, JobRecovery],
    };
  }
}

/**
 * The HTTP side: rounds, bank files, bank results and job status. Needs the queue's
 * RedisConnection (QueueModule), EVENT_STORE and LEDGER_CONFIG.
 */
@Module({})
export class BankIntegrationModule {
  static forRoot(config: BankIntegrationConfig): DynamicModule {
    return {
      module: BankIntegrationModule,
      imports: [BankIntegrationJobsModule.forRoot(config)],
      controllers: [RoundsController, BankFilesController, BankResultsController, JobsController],
      exports: [BankIntegrationJobsModule],
    };
  }
}
