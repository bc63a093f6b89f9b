import { BankExceptionGauges } from './read-models/bank-exception-gauges';
import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PersonalDataAccessLog } from '@salur/personal-data';
import { BANK_EXCEPTION_HANDLERS } from './application/bank-exception.handlers';
import { BankFileWriter } from './application/bank-file-writer';
import { BankResultsIngestion } from './application/bank-results-ingestion';
import { BANK_INTEGRATION_CONFIG, BankIntegrationConfig } from './bank-integration.config';
import { BankFilesController } from './http/bank-files.controller';
import { BankExceptionsController } from './http/bank-exceptions.controller';
import { BankResultsController } from './http/bank-results.controller';
import { bankExceptionsProjection } from './read-models/bank-exceptions.projection';
import { BankExceptionQueries } from './read-models/bank-exceptions.queries';

const SERVICES = [BankFileWriter, BankResultsIngestion];

/**
 * The services the bank's jobs run on (writing files, ingesting results): give it to
 * JobsModule.workers' imports in the worker app and the embedded default. Needs EVENT_STORE,
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

/**
 * The HTTP side: bank files (write, download), bank results and the exception queue. Needs the
 * read models (ProjectionsModule) for the queue.
 */
@Module({})
export class BankIntegrationModule {
  static forRoot(config: BankIntegrationConfig): DynamicModule {
    return {
      module: BankIntegrationModule,
      imports: [CqrsModule, BankIntegrationJobsModule.forRoot(config)],
      controllers: [BankFilesController, BankResultsController, BankExceptionsController],
      providers: [...BANK_EXCEPTION_HANDLERS, BankExceptionQueries, BankExceptionGauges, PersonalDataAccessLog],
      exports: [BankIntegrationJobsModule],
    };
  }
}

/** What the bank-integration capability gives the apps to run (the lists: libs/ledger). */
export const BANK_PROJECTIONS = [bankExceptionsProjection];
