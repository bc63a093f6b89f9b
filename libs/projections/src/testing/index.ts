export * from './recorded-events';
export * from './project-events';
export * from './ledger-facts';
