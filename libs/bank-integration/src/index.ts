export * from './domain';
export * from './bank-integration.config';
export { BankIntegrationModule, BankIntegrationJobsModule } from './bank-integration.module';
export { BankJobs, type JobView } from './jobs/bank-jobs';
export * from './jobs/bank-job-processors';
export type * from './jobs/job-data';
export type { JobOrigin } from './application/job-context';
export { BankFileWriter, type WrittenBankFile } from './application/bank-file-writer';
export {
  BankResultsIngestion,
  type ReceivedBankFile,
  type IngestionSummary,
} from './application/bank-results-ingestion';
export { BatchBuilder, type BuiltBatch } from './application/batch-builder';
export { BatchSubmission, type SubmissionResult } from './application/batch-submission';
export { PaymentReissue, type ReissueResult } from './application/payment-reissue';
export { RoundOpener, type OpenRoundResult } from './application/round-opener';
export { JobRecovery, type RecoveryPass } from './recovery/job-recovery';
export { BankJobLedger } from './recovery/bank-job-ledger';
export * from './recovery/bank-job.decider';
export { OwedJobsTracker, type OwedJob } from './recovery/jobs-owed';
