import {
  DynamicModule,
  Inject,
  Module,
  ModuleMetadata,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Type,
} from '@nestjs/common';
import { QueueConfig } from './queue.config';
import { JOB_PROCESSORS, JobProcessor, WorkerHost } from './worker-host';

export interface WorkersModuleOptions {
  readonly config: QueueConfig;
  /** Modules that provide the processors' dependencies. */
  readonly imports?: ModuleMetadata['imports'];
  readonly processors: ReadonlyArray<Type<JobProcessor>>;
}

/** Runs the registered job processors in this process: the worker app, or the embedded default. */
@Module({})
export class WorkersModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(WorkerHost) private readonly host: WorkerHost) {}

  static forRoot(options: WorkersModuleOptions): DynamicModule {
    return {
      module: WorkersModule,
      imports: options.imports ?? [],
      providers: [
        ...options.processors,
        {
          provide: JOB_PROCESSORS,
          useFactory: (...processors: JobProcessor[]) => processors,
          inject: [...options.processors],
        },
        {
          provide: WorkerHost,
          useFactory: (processors: JobProcessor[]) => new WorkerHost(options.config, processors),
          inject: [JOB_PROCESSORS],
        },
      ],
    };
  }

  onApplicationBootstrap(): void {
    this.host.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.host.stop();
  }
}
