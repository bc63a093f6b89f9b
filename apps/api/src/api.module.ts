import { DynamicModule, Module } from '@nestjs/common';
import { LedgerConfigModule } from '@salur/application';
import { AuditLogModule } from '@salur/audit-log';
import { BankIntegrationJobsModule, BankIntegrationModule } from '@salur/bank-integration';
import { BatchesModule } from '@salur/batches';
import { BeneficiariesModule } from '@salur/beneficiaries';
import { EventStoreModule } from '@salur/event-store';
import { HealthController, HealthModule } from '@salur/health';
import { HttpPlatformModule } from '@salur/http';
import { PaymentsModule } from '@salur/payments';
import { ProgrammesModule } from '@salur/programmes';
import { ProjectionsModule } from '@salur/projections';
import { QueueModule, WorkersModule } from '@salur/queue';
import { ApiConfig } from './api.config';
// The embedded default runs the worker app's processors here; the list has one home, the worker app.
import { JOB_PROCESSOR_TYPES } from '../../worker/src/job-processors';

/** Wires the capabilities into the HTTP application; no logic lives here. */
@Module({})
export class ApiModule {
  static register(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        EventStoreModule.forRoot(config.eventStore),
        QueueModule.forRoot(config.queue),
        // Authentication, roles, errors, validation, idempotency and correlation for every controller.
        HttpPlatformModule.forRoot(config.http, { publicControllers: [HealthController] }),
        HealthModule,
        LedgerConfigModule.forRoot(config.ledger),
        ProjectionsModule.forRoot({ readModel: config.readModel }),
        // The API follows the events into the Merkle log and signs its checkpoints; workers do not.
        AuditLogModule.forRoot(config.auditLog),
        ProgrammesModule,
        BeneficiariesModule,
        PaymentsModule,
        BatchesModule,
        BankIntegrationModule.forRoot(config.bankIntegration),
        ...(config.embeddedWorkers
          ? [
              WorkersModule.forRoot({
                config: config.queue,
                imports: [BankIntegrationJobsModule.forRoot(config.bankIntegration)],
                processors: JOB_PROCESSOR_TYPES,
              }),
            ]
          : []),
      ],
    };
  }
}
