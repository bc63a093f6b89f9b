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
export { DEFAULT_BATCH_LIMITS, type BatchLimits } from './engine/read-batches';

// Writing a projection.
export * from './engine/projection';
export { projectInMemory, type InMemoryTables } from './engine/project-in-memory';
export type { StoredRow } from './engine/apply-events';

// The directory read models and their queries.
export { directoryProjection } from './directory/directory.projection';
export * from './directory/directory.tables';
export * from './directory/keyset-page';
export * from './directory/programme.queries';
export * from './directory/beneficiary.queries';
export * from './directory/payment.queries';
export * from './directory/batch.queries';
export { readAfter } from './read-after';
