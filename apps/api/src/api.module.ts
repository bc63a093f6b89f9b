import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { LedgerConfigModule } from '@salur/application';
import { AuditLogModule } from '@salur/audit-log';
import { BankIntegrationModule } from '@salur/bank-integration';
import { BatchesModule } from '@salur/batches';
import { BeneficiariesModule } from '@salur/beneficiaries';
import { EventStoreModule } from '@salur/event-store';
import { HealthController, HealthModule } from '@salur/health';
import { HttpPlatformModule, structuredLogging } from '@salur/http';
import { LEDGER_JOB_PROCESSORS, LEDGER_PERSONAL_DATA, LEDGER_PROJECTIONS, ledgerJobModules } from '@salur/ledger';
import { PersonalDataModule } from '@salur/personal-data';
import { PaymentsModule } from '@salur/payments';
import { ProgrammesModule } from '@salur/programmes';
import { ProjectionsModule } from '@salur/projections';
import { JobsModule, QueueModule } from '@salur/queue';
import { ApiConfig } from './api.config';

export interface ApiModuleOptions {
  /** Where the JSON logs go (default: standard output); tests read them from here. */
  readonly logDestination?: DestinationStream;
}

/** Wires the capabilities into the HTTP application; no logic lives here. */
@Module({})
export class ApiModule {
  static register(config: ApiConfig, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        structuredLogging(config.logging, options.logDestination),
        // Personal data is sealed before it reaches the event store, and opened for readers.
        PersonalDataModule.forRoot(config.personalData, LEDGER_PERSONAL_DATA),
        EventStoreModule.forRoot(config.eventStore),
        QueueModule.forRoot(config.queue),
        JobsModule.forRoot(config.jobs),
        // Authentication, roles, errors, validation, idempotency and correlation for every controller.
        HttpPlatformModule.forRoot(config.http, { publicControllers: [HealthController] }),
        HealthModule,
        LedgerConfigModule.forRoot(config.ledger),
        // With PROJECTIONS=separate the projector app projects, follows the log and signs; the API
        // still migrates the tables and answers from them.
        ProjectionsModule.forRoot({
          readModel: config.readModel,
          projections: LEDGER_PROJECTIONS,
          runProjections: config.projections === 'in-process',
        }),
        AuditLogModule.forRoot(config.auditLog, {
          runLog: config.projections === 'in-process',
          runSigner: config.projections === 'in-process',
        }),
        ProgrammesModule,
        BeneficiariesModule,
        PaymentsModule,
        BatchesModule,
        BankIntegrationModule.forRoot(config.bankIntegration),
        ...(config.embeddedWorkers
          ? [
              JobsModule.workers({
                imports: ledgerJobModules(config.bankIntegration),
                processors: LEDGER_JOB_PROCESSORS,
              }),
            ]
          : []),
      ],
    };
  }
}
