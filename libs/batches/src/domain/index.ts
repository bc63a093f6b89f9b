export * from './batch-content';
export * from './batch.commands';
export * from './batch.events';
export * from './batch.state';
export { batchDecider } from './batch.decider';
export * from './batch-reservation';
export * from './batch-obligations';
export * from './bank-outcome-watch';
export * from './batch.personal-data';
