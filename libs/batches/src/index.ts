export * from './domain/approval-policy';
export * from './domain/batch-content';
export * from './domain/batch.commands';
export * from './domain/batch.events';
export * from './domain/batch.state';
export { batchDecider } from './domain/batch.decide';
