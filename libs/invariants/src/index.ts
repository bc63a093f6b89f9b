export * from './domain/violation';
export * from './domain/event-invariants';
export * from './check-ledger';
export * from './projection-agreement';
export * from './store-log-agreement';
export * from './leaf-agreement';
export * from './check-command';
export * from './erased-subjects';
