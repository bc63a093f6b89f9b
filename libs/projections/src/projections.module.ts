import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@salur/event-store';
import { AuditTrailQueries } from './audit-trail/audit-trail.queries';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { BalanceQueries } from './balances/balance.queries';
import { balancesProjection } from './balances/balances.projection';
import { BatchViewQueries } from './batch-views/batch-views.queries';
import { batchViewsProjection } from './batch-views/batch-views.projection';
import { BudgetQueries } from './budget/budget.queries';
import { budgetProjection } from './budget/budget.projection';
import { BatchQueries } from './directory/batch.queries';
import { BeneficiaryQueries } from './directory/beneficiary.queries';
import { directoryProjection } from './directory/directory.projection';
import { PaymentQueries } from './directory/payment.queries';
import { ProgrammeQueries } from './directory/programme.queries';
import { AuditTrailController } from './http/audit-trail.controller';
import { BalancesController } from './http/balances.controller';
import { BatchViewsController } from './http/batch-views.controller';
import { ProjectionsController } from './http/projections.controller';
import { RoundsController } from './http/rounds.controller';
import { PersonalDataAccessLog } from './personal-data/personal-data-access-log';
import { PointInTimeQueries } from './point-in-time/point-in-time.queries';
import { RoundProgressQueries } from './round-progress/round-progress.queries';
import { roundProgressProjection } from './round-progress/round-progress.projection';
import { migrateReadModels } from './engine/migrations';
import type { Projection } from './engine/projection';
import { ProjectionEngine } from './engine/projection-engine';
import { DEFAULT_RUNNER_SETTINGS, RunnerSettings } from './engine/projection-runner';
import { ProjectionStatusService } from './engine/projection-status.service';
import { openReadModelDatabase, READ_MODEL_DATABASE, type ReadModelDatabase } from './engine/read-model-database';
import type { ReadModelConfig } from './engine/read-model.config';

/** The projections a process runs unless told otherwise. A new projection is added here. */
export const DEFAULT_PROJECTIONS: readonly Projection[] = [
  directoryProjection,
  balancesProjection,
  budgetProjection,
  roundProgressProjection,
  batchViewsProjection,
  auditTrailProjection,
];

export interface ProjectionsModuleOptions {
  readonly readModel: ReadModelConfig;
  /** DEFAULT_PROJECTIONS when omitted. */
  readonly projections?: readonly Projection[];
  /**
   * False: this process only queries the read models and another one projects into them (the
   * worker app when the API projects). The migrations run in either case. Default true.
   */
  readonly runProjections?: boolean;
  readonly runner?: RunnerSettings;
}

const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');

const QUERY_SERVICES = [
  ProgrammeQueries,
  BeneficiaryQueries,
  PaymentQueries,
  BatchQueries,
  BalanceQueries,
  BudgetQueries,
  RoundProgressQueries,
  BatchViewQueries,
  AuditTrailQueries,
  PointInTimeQueries,
  PersonalDataAccessLog,
];

const CONTROLLERS = [
  ProjectionsController,
  BalancesController,
  RoundsController,
  BatchViewsController,
  AuditTrailController,
];

/**
 * The read models: opens their database and migrates it to the latest version while the app is
 * created, starts the projections once it is bootstrapped, stops them before the event store
 * closes (BeforeApplicationShutdown runs before every module's OnApplicationShutdown) and closes
 * the database last. Needs the EVENT_STORE provider of EventStoreModule.
 */
@Global()
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly engine: ProjectionEngine,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsModuleOptions,
  ) {}

  static forRoot(options: ProjectionsModuleOptions): DynamicModule {
    const projections = options.projections ?? DEFAULT_PROJECTIONS;
    return {
      module: ProjectionsModule,
      controllers: CONTROLLERS,
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
            new ProjectionEngine(db, store, projections, options.runner ?? DEFAULT_RUNNER_SETTINGS),
        },
        ProjectionStatusService,
        ...QUERY_SERVICES,
      ],
      exports: [READ_MODEL_DATABASE, ProjectionEngine, ProjectionStatusService, ...QUERY_SERVICES],
    };
  }

  onApplicationBootstrap(): void {
    if (this.options.runProjections ?? true) this.engine.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
