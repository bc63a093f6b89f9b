export * from './domain/violation';
export * from './domain/event-invariants';
export * from './check-ledger';
export * from './projection-agreement';
export * from './check-command';
