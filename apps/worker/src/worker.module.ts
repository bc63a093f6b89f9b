import { DynamicModule, Module } from '@nestjs/common';
import { LedgerConfigModule } from '@salur/application';
import { EventStoreModule } from '@salur/event-store';
import { structuredLogging } from '@salur/http';
import { LEDGER_JOB_PROCESSORS, LEDGER_PERSONAL_DATA, ledgerJobModules } from '@salur/ledger';
import { PersonalDataModule } from '@salur/personal-data';
import { JobsModule, QueueModule } from '@salur/queue';
import { WorkerConfig } from './worker.config';

/** The worker app alone: the event store, Redis and the job processors, no HTTP. */
@Module({})
export class WorkerModule {
  static register(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        structuredLogging(config.logging),
        PersonalDataModule.forRoot(config.personalData, LEDGER_PERSONAL_DATA),
        EventStoreModule.forRoot(config.eventStore),
        QueueModule.forRoot(config.queue),
        JobsModule.forRoot(config.jobs),
        LedgerConfigModule.forRoot(config.ledger),
        JobsModule.workers({
          imports: ledgerJobModules(config.bankIntegration),
          processors: LEDGER_JOB_PROCESSORS,
        }),
      ],
    };
  }
}
