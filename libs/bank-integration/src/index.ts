export * from './domain';
export * from './bank-integration.config';
export { BankIntegrationModule, BankIntegrationJobsModule } from './bank-integration.module';
export * from './jobs/bank-job-processors';
export type * from './jobs/job-data';
export { BankFileWriter, type WrittenBankFile } from './application/bank-file-writer';
export {
  BankResultsIngestion,
  type ReceivedBankFile,
  type IngestionSummary,
} from './application/bank-results-ingestion';
