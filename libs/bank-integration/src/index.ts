export * from './domain';
export * from './bank-integration.config';
export { BankIntegrationModule, BankIntegrationJobsModule, BANK_PROJECTIONS } from './bank-integration.module';
export * from './jobs/bank-job-processors';
export type * from './jobs/job-data';
export { BankFileWriter, type WrittenBankFile } from './application/bank-file-writer';
export {
  BankResultsIngestion,
  type ReceivedBankFile,
  type IngestionSummary,
} from './application/bank-results-ingestion';
export { bankExceptionsProjection } from './read-models/bank-exceptions.projection';
export * from './read-models/bank-exceptions.tables';
export { BankExceptionQueries, type BankExceptionFilter } from './read-models/bank-exceptions.queries';
export { AssignBankExceptionCommand, ResolveBankExceptionCommand } from './application/bank-exception.messages';
