export * from './domain';
export * from './application/batch.messages';
export { BatchesModule } from './batches.module';
