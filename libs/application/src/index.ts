export * from './handle-command';
export * from './ledger-context';
export * from './ledger.config';
export * from './beneficiary-id';
export * from './command-receipt';
export * from './ledger-context-from-request';
export * from './ledger-config.module';
