export * from './queue.config';
export * from './redis-connection';
export * from './queue-available.guard';
export * from './queue.module';
export * from './worker-host';

// Jobs recorded in the ledger: started from routes, run by processors, recovered after a Redis loss.
export * from './jobs/jobs.config';
export { JobsModule, type LedgerWorkersOptions } from './jobs/jobs.module';
export { BankJobs, type JobView } from './jobs/bank-jobs';
export * from './jobs/job-ids';
export * from './jobs/job-context';
export { originOf } from './jobs/origin';
export { requireRecorded } from './jobs/job-subject';
export { failingPermanentlyOnRules, type PermanentReasonOf } from './jobs/permanent-failures';
export { RecordedRuns } from './jobs/recovery/recorded-runs';
export { BankJobLedger, PlanRecordedElsewhereError } from './jobs/recovery/bank-job-ledger';
export { JobRecovery, type RecoveryPass } from './jobs/recovery/job-recovery';
export * from './jobs/recovery/bank-job.decider';
export { OwedJobsTracker, type OwedJob } from './jobs/recovery/jobs-owed';
