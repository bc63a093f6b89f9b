import { DynamicModule, Module } from '@nestjs/common';
import { AuditLogModule } from '@salur/audit-log';
import { EventStoreModule } from '@salur/event-store';
import { HealthController, HealthModule } from '@salur/health';
import { HttpPlatformModule, structuredLogging } from '@salur/http';
import { LEDGER_PERSONAL_DATA, LEDGER_PROJECTIONS } from '@salur/ledger';
import { PersonalDataModule } from '@salur/personal-data';
import { ProjectionsModule } from '@salur/projections';
import { QueueModule } from '@salur/queue';
import { ProjectorConfig } from './projector.config';

/**
 * The projector app: the read-model projections, the Merkle log's follower and its checkpoint
 * signer, and the probes and metrics that watch them. The API runs with PROJECTIONS=separate
 * beside it and answers from the tables this process fills.
 */
@Module({})
export class ProjectorModule {
  static register(config: ProjectorConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        structuredLogging(config.logging),
        // The projections read events through the lens, as the API's did when it projected.
        PersonalDataModule.forRoot(config.personalData, LEDGER_PERSONAL_DATA),
        EventStoreModule.forRoot(config.eventStore),
        // HealthModule reports Redis and reads its connection from here.
        QueueModule.forRoot(config.queue),
        // The access guard behind /metrics' @Roles; the probes stay public.
        HttpPlatformModule.forRoot(config.http, { publicControllers: [HealthController] }),
        HealthModule,
        ProjectionsModule.forRoot({
          readModel: config.readModel,
          projections: LEDGER_PROJECTIONS,
          runProjections: true,
        }),
        AuditLogModule.forRoot(config.auditLog, { runLog: true, runSigner: true }),
      ],
    };
  }
}
