export * from './metric-catalogue';
export * from './metrics';
export * from './observability.module';
