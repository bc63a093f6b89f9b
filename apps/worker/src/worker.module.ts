import { DynamicModule, Module } from '@nestjs/common';
import { LedgerConfigModule } from '@salur/application';
import { BankIntegrationJobsModule } from '@salur/bank-integration';
import { EventStoreModule } from '@salur/event-store';
import { QueueModule, WorkersModule } from '@salur/queue';
import { JOB_PROCESSOR_TYPES } from './job-processors';
import { WorkerConfig } from './worker.config';

/** The worker app alone: the event store, Redis and the job processors, no HTTP. */
@Module({})
export class WorkerModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        EventStoreModule.forRoot(config.eventStore),
        QueueModule.forRoot(config.queue),
        LedgerConfigModule.forRoot(config.ledger),
        WorkersModule.forRoot({
          config: config.queue,
          imports: [BankIntegrationJobsModule.forRoot(config.bankIntegration)],
          processors: JOB_PROCESSOR_TYPES,
        }),
      ],
    };
  }
}
