export * from './ledger-migrated';
export { MigrationRefusedError } from './migration-refused';
export { readOldCheckpoint, surveyOldLedger, type OldCheckpoint, type OldLedgerSurvey } from './old-ledger';
export { type CopyLimits, DEFAULT_COPY_LIMITS } from './copy-events';
export * from './migrate-personal-data';
export * from './migrate-personal-data.command';
