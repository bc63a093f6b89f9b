export * from './recorded-events';
export * from './project-events';
