export * from './queue.config';
export * from './redis-connection';
export * from './queue-available.guard';
export * from './queue.module';
export * from './worker-host';
export * from './workers.module';
