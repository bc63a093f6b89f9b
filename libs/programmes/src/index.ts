export * from './domain';
export * from './application/programme.messages';
export { ProgrammesModule } from './programmes.module';
