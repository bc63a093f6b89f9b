import { DynamicModule, Global, Module } from '@nestjs/common';
import { BankJobs } from './bank-jobs';
import { JOBS_CONFIG, JobsConfig } from './jobs.config';
import { JobsController } from './jobs.controller';
import { BankJobLedger } from './recovery/bank-job-ledger';
import { JobRecovery } from './recovery/job-recovery';
import { RecordedRuns } from './recovery/recorded-runs';

const SERVICES = [BankJobs, BankJobLedger, RecordedRuns, JobRecovery];

/**
 * Jobs recorded in the ledger: a capability starts one (BankJobs.start) from a route and runs
 * it in a processor (RecordedRuns); JobRecovery puts back, wherever the module runs (worker app
 * or API: adding a job already queued changes nothing), the jobs Redis lost. Needs EVENT_STORE
 * and the queue's RedisConnection (QueueModule). GET /jobs serves in an HTTP app.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: JobsConfig): DynamicModule {
    return {
      module: JobsModule,
      controllers: [JobsController],
      providers: [{ provide: JOBS_CONFIG, useValue: config }, ...SERVICES],
      exports: [JOBS_CONFIG, ...SERVICES],
    };
  }
}
