export * from './configuration-error';
export * from './environment';
