// The pure parts: canonical JSON, RFC 9162 Merkle trees and proofs, signed notes and checkpoints,
// the full-amount rule and the proof document.
export * from './domain';

// Configuration and the Nest module (controller, projection, checkpoint signer).
export * from './audit-log.config';
export { AuditLogModule, AUDIT_PROJECTIONS, type AuditLogModuleOptions } from './audit-log.module';

// The audit trail: a read model of who did what to whom, its queries and routes.
export { auditTrailProjection } from './trail/audit-trail.projection';
export * from './trail/audit-trail.tables';
export * from './trail/audit-trail.queries';
export * from './trail/audit-trail.view';

// The log's storage and services, for tests, tools and other processes.
export { AUDIT_LOG_DATABASE, type AuditLogDatabase, type AuditLogTables } from './log/audit-log.tables';
export { openAuditLogDatabase, migrateAuditLog } from './log/audit-log.database';
export {
  MerkleLogStore,
  LogMovedError,
  LogIntegrityError,
  type LogState,
  type StoredLeaf,
} from './log/merkle-log.store';
export { AuditLogWriter, MAX_APPEND_EVENTS, UnloggableEventError } from './log/audit-log.writer';
export { AuditLogFollower, type FollowerStatus } from './log/audit-log.follower';
export { CheckpointService, type StoredCheckpoint } from './log/checkpoint.service';
export { CheckpointScheduler } from './log/checkpoint.scheduler';
export { ProofService, MAX_PAYMENTS_PER_PROOF, type ProofOptions } from './log/proof.service';
export { exportAuditLog, type ExportSummary } from './log/audit-log.export';

// Operator commands (apps/cli).
export * from './cli/audit-commands';
