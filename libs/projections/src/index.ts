// The module: the engine, its database and the status endpoint.
export { ProjectionsModule, type ProjectionsModuleOptions } from './projections.module';
export {
  openReadModelDatabase,
  READ_MODEL_DATABASE,
  type ReadModelDatabase,
  type EngineTables,
} from './engine/read-model-database';
export { migrateReadModels, replaceTableAndRefill } from './engine/migrations';

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
export { readAfter } from './queries/read-after';

// Writing a projection: its read models, their money and their pages.
export * from './engine/projection';
export { instantOf } from './engine/instant-of';
export { projectInMemory, type InMemoryTables } from './engine/project-in-memory';
export { foldBatch, foldWithLoads, MAX_FOLD_PASSES, type StoredRow, type TableWrites } from './engine/apply-events';
export { foldStreamInMemory, type LoadRows } from './engine/fold-in-memory';
export { positionAt } from './engine/position-at';
export * from './queries/keyset-page';
export * from './queries/read-model-money';

// Rebuilding a projection without downtime (`npm run cli -- projections rebuild`).
export * from './engine/rebuild';
export { SHADOW_SUFFIX } from './engine/shadow-tables';
export * from './cli/rebuild-command';

// Reading the past: folds of the log up to a position or an instant.
export * from './engine/as-of';
export { AsOfQuery } from './http/as-of.dto';
