import { JobGauges } from './job-gauges';
import {
  DynamicModule,
  Global,
  Inject,
  Module,
  ModuleMetadata,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Type,
} from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { RedisConnection } from '../redis-connection';
import { JOB_PROCESSORS, JobProcessor, WorkerHost } from '../worker-host';
import { BankJobs } from './bank-jobs';
import { JOBS_CONFIG, JobsConfig } from './jobs.config';
import { JobsController } from './jobs.controller';
import { QueueNaming } from './ledger-identity';
import { BankJobLedger } from './recovery/bank-job-ledger';
import { JobRecovery } from './recovery/job-recovery';
import { RecordedRuns } from './recovery/recorded-runs';

const SERVICES = [BankJobs, BankJobLedger, RecordedRuns, JobRecovery];

export interface LedgerWorkersOptions {
  /** Modules that provide the processors' dependencies. */
  readonly imports?: ModuleMetadata['imports'];
  readonly processors: ReadonlyArray<Type<JobProcessor>>;
}

/**
 * The ledger's queue naming, read from its store once at start-up (written there first if this
 * is the ledger's first start): everything that touches a queue waits for it.
 */
const QUEUE_NAMING_PROVIDER = {
  provide: QueueNaming,
  useFactory: (store: EventStore, connection: RedisConnection) => QueueNaming.of(store, connection.config.prefix),
  inject: [EVENT_STORE, RedisConnection],
};

/** The workers of JobsModule.workers: started once the application is up, closed with it. */
@Module({})
class LedgerWorkersModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(WorkerHost) private readonly host: WorkerHost) {}

  onApplicationBootstrap(): void {
    this.host.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.host.stop();
  }
}

/**
 * Jobs recorded in the ledger: a capability starts one (BankJobs.start) from a route and runs
 * it in a processor (RecordedRuns); JobRecovery puts back, wherever the module runs (worker app
 * or API: adding a job already queued changes nothing), the jobs Redis lost. Needs EVENT_STORE
 * and the queue's RedisConnection (QueueModule). GET /jobs serves in an HTTP app. Every queue
 * and worker is named under the ledger's identity (QueueNaming).
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: JobsConfig): DynamicModule {
    return {
      module: JobsModule,
      controllers: [JobsController],
      providers: [{ provide: JOBS_CONFIG, useValue: config }, QUEUE_NAMING_PROVIDER, ...SERVICES, JobGauges],
      exports: [JOBS_CONFIG, QueueNaming, ...SERVICES],
    };
  }

  /**
   * Runs the job processors in this process (the worker app, or the API's embedded workers) on
   * this ledger's queues (QueueNaming: QUEUE_PREFIX and the ledger's id, so ledgers sharing one
   * Redis never serve each other's jobs). Needs JobsModule.forRoot.
   */
  static workers(options: LedgerWorkersOptions): DynamicModule {
    return {
      module: LedgerWorkersModule,
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
          useFactory: (processors: JobProcessor[], naming: QueueNaming, connection: RedisConnection) =>
            new WorkerHost({ redisUrl: connection.config.redisUrl, prefix: naming.prefix }, processors),
          inject: [JOB_PROCESSORS, QueueNaming, RedisConnection],
        },
      ],
    };
  }
}
