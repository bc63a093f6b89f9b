// The module and its configuration.
export { ProjectionsModule, DEFAULT_PROJECTIONS, type ProjectionsModuleOptions } from './projections.module';
export * from './engine/read-model.config';
export {
  openReadModelDatabase,
  READ_MODEL_DATABASE,
  type ReadModelDatabase,
  type EngineTables,
} from './engine/read-model-database';
export { migrateReadModels } from './engine/migrations';

// Status and read-your-writes.
export { ProjectionStatusService } from './engine/projection-status.service';
export { ProjectionEngine, type ProjectionStatus, type WaitForOptions } from './engine/projection-engine';
export { MAX_WAIT_FOR_MS, ProjectionNotRunningError, ProjectionWaitTimeoutError } from './engine/position-waiters';
export {
  DEFAULT_RETRY_POLICY,
  DEFAULT_RUNNER_SETTINGS,
  type ProjectionState,
  type RetryPolicy,
  type RunnerSettings,
} from './engine/projection-runner';
export { DEFAULT_BATCH_LIMITS, type BatchLimits } from '@salur/event-store';

// Writing a projection.
export * from './engine/projection';
export { projectInMemory, type InMemoryTables } from './engine/project-in-memory';
export { foldBatch, foldWithLoads, MAX_FOLD_PASSES, type StoredRow, type TableWrites } from './engine/apply-events';

// The directory read models and their queries.
export { directoryProjection } from './directory/directory.projection';
export * from './directory/directory.tables';
export * from './directory/keyset-page';
export * from './directory/programme.queries';
export * from './directory/beneficiary.queries';
export * from './directory/payment.queries';
export * from './directory/batch.queries';
export { readAfter } from './read-after';

// Rebuilding a projection without downtime (`npm run cli -- projections rebuild`).
export * from './engine/rebuild';
export { SHADOW_SUFFIX } from './engine/shadow-tables';
export * from './cli/rebuild-command';

// The ledger's read models and their queries.
export { balancesProjection } from './balances/balances.projection';
export * from './balances/balances.tables';
export { figuresOf } from './balances/balance-figures';
export * from './balances/balance.queries';
export { budgetProjection } from './budget/budget.projection';
export * from './budget/budget.tables';
export * from './budget/budget.queries';
export { roundProgressProjection } from './round-progress/round-progress.projection';
export * from './round-progress/round-progress.tables';
export * from './round-progress/round-progress.queries';
export { batchViewsProjection } from './batch-views/batch-views.projection';
export * from './batch-views/batch-views.tables';
export * from './batch-views/batch-views.queries';
export { auditTrailProjection } from './audit-trail/audit-trail.projection';
export * from './audit-trail/audit-trail.tables';
export * from './audit-trail/audit-trail.queries';
export * from './audit-trail/audit-trail.view';
export * from './point-in-time/point-in-time.queries';
export { positionAt } from './point-in-time/position-at';

// Personal data: masking for the viewer, and the record of every unmasked read.
export * from './personal-data/personal-data-viewed';
export { PersonalDataAccessLog, MAX_BENEFICIARIES_PER_RECORD } from './personal-data/personal-data-access-log';
export { maskData } from './personal-data/personal-data.policy';
