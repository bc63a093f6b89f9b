export * from './domain';
export * from './application/batch.messages';
export { BatchesModule, BatchJobsModule, BATCH_PROJECTIONS, BATCH_JOB_PROCESSORS } from './batches.module';
export { BatchBuilder, type BuiltBatch, type PlannedBatch } from './application/batch-builder';
export { BatchSubmission, type SubmissionResult } from './application/batch-submission';
export { BatchWorkflows, type SettlePass } from './application/batch-workflows';
export { BuildBatchesProcessor, type BuildBatchesJobData } from './jobs/build-batches.processor';
export { BankOutcomePass, type BankOutcomePassResult } from './application/bank-outcome-pass';
export { BankOutcomePassProcessor } from './jobs/bank-outcome-pass.processor';
export { batchViewsProjection } from './read-models/batch-views.projection';
export * from './read-models/batch-views.tables';
export * from './read-models/batch-views.queries';
export { BatchQueries, BATCH_LIST_COLUMNS, type BatchFilter } from './read-models/batch.queries';
// The closing path the scheduled pass uses, for tools and tests that run the pass themselves.
export { CloseBatchHandler } from './application/batch.handlers';
