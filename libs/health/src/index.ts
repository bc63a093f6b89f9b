export * from './dependency-checks';
export * from './health.controller';
export * from './health.module';
