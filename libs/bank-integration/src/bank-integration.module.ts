import { DynamicModule, Module } from '@nestjs/common';
import { BankFileWriter } from './application/bank-file-writer';
import { BankResultsIngestion } from './application/bank-results-ingestion';
import { BANK_INTEGRATION_CONFIG, BankIntegrationConfig } from './bank-integration.config';
import { BankFilesController } from './http/bank-files.controller';
import { BankResultsController } from './http/bank-results.controller';

const SERVICES = [BankFileWriter, BankResultsIngestion];

/**
 * The services the bank's jobs run on (writing files, ingesting results): give it to
 * WorkersModule.forRoot's imports in the worker app and the embedded default. Needs EVENT_STORE,
 * LEDGER_CONFIG and the jobs (JobsModule).
 */
@Module({})
export class BankIntegrationJobsModule {
  static forRoot(config: BankIntegrationConfig): DynamicModule {
    return {
      module: BankIntegrationJobsModule,
      providers: [{ provide: BANK_INTEGRATION_CONFIG, useValue: config }, ...SERVICES],
      exports: [BANK_INTEGRATION_CONFIG, ...SERVICES],
    };
  }
}

/** The HTTP side: bank files (write, download) and bank results. */
@Module({})
export class BankIntegrationModule {
  static forRoot(config: BankIntegrationConfig): DynamicModule {
    return {
      module: BankIntegrationModule,
      imports: [BankIntegrationJobsModule.forRoot(config)],
      controllers: [BankFilesController, BankResultsController],
      exports: [BankIntegrationJobsModule],
    };
  }
}
