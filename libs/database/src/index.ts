export * from './database.config';
export { openDatabase } from './open-database';
