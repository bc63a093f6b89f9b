export * from './configuration-error';
export * from './environment';
export * from './command-line';
export * from './dependency-unavailable';
export * from './production-secrets';
