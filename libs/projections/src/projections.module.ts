import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import type { ReadModelConfig } from '@salur/database';
import { EVENT_STORE, type EventStore } from '@salur/event-store';
import { Metrics } from '@salur/observability';
import { migrateReadModels } from './engine/migrations';
import type { Projection } from './engine/projection';
import { ProjectionEngine } from './engine/projection-engine';
import { DEFAULT_RUNNER_SETTINGS, RunnerSettings } from './engine/projection-runner';
import { ProjectionStatusService } from './engine/projection-status.service';
import { openReadModelDatabase, READ_MODEL_DATABASE, type ReadModelDatabase } from './engine/read-model-database';
import { ProjectionsController } from './http/projections.controller';

export interface ProjectionsModuleOptions {
  readonly readModel: ReadModelConfig;
  /** The projections this process migrates and runs: each capability offers its own (see libs/ledger). */
  readonly projections: readonly Projection[];
  /**
   * False: this process only queries the read models and another one projects into them (the
   * worker app when the API projects). The migrations run in either case. Default true.
   */
  readonly runProjections?: boolean;
  readonly runner?: RunnerSettings;
}

const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');

/**
 * The projection engine: opens the read-model database and migrates it to the latest version
 * while the app is created, starts the projections once it is bootstrapped, stops them before
 * the event store closes (BeforeApplicationShutdown runs before every module's
 * OnApplicationShutdown) and closes the database last. Needs the EVENT_STORE provider of
 * EventStoreModule. The read models themselves, their queries and routes, live in the
 * capabilities; their query services inject READ_MODEL_DATABASE, which this global module exports.
 */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly engine: ProjectionEngine,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsModuleOptions,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  static forRoot(options: ProjectionsModuleOptions): DynamicModule {
    const { projections } = options;
    return {
      module: ProjectionsModule,
      controllers: [ProjectionsController],
      providers: [
        { provide: PROJECTIONS_OPTIONS, useValue: options },
        {
          provide: READ_MODEL_DATABASE,
          useFactory: async (): Promise<ReadModelDatabase> => {
            const db = openReadModelDatabase(options.readModel);
            try {
              await migrateReadModels(db, projections);
            } catch (error) {
              await db.destroy();
              throw error;
            }
            return db;
          },
        },
        {
          provide: ProjectionEngine,
          inject: [READ_MODEL_DATABASE, EVENT_STORE],
          useFactory: (db: ReadModelDatabase, store: EventStore) =>
            new ProjectionEngine(
              db,
              store,
              projections,
              options.runner ?? DEFAULT_RUNNER_SETTINGS,
              options.runProjections ?? true,
            ),
        },
        ProjectionStatusService,
      ],
      exports: [READ_MODEL_DATABASE, ProjectionEngine, ProjectionStatusService],
    };
  }

  onApplicationBootstrap(): void {
    if (!(this.options.runProjections ?? true)) return;
    this.engine.start();
    // The process that projects reports the projections (another one only reads the read models).
    this.metrics?.readGauges(
      'projections',
      ['projectionPosition', 'projectionLag', 'projectionFailures', 'projectionFailed'],
      async (gauges) => {
        for (const status of await this.engine.status()) {
          const labels = { projection: status.name };
          if (status.position !== undefined) gauges.set('projectionPosition', labels, Number(status.position));
          gauges.set('projectionLag', labels, status.lag);
          gauges.set('projectionFailures', labels, status.failures);
          gauges.set('projectionFailed', labels, status.state === 'failed' || status.state === 'retrying' ? 1 : 0);
        }
      },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
