import { DynamicModule, Module } from '@nestjs/common';
import { EventStoreModule } from '@salur/event-store';
import { HealthModule } from '@salur/health';
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
        HealthModule,
        ...(config.embeddedWorkers
          ? [WorkersModule.forRoot({ config: config.queue, processors: JOB_PROCESSOR_TYPES })]
          : []),
      ],
    };
  }
}
