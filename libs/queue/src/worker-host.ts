import { Logger } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { QueueConfig } from './queue.config';

/** One kind of job, as a capability offers it to the worker app. */
export interface JobProcessor<Data = unknown, Result = unknown> {
  readonly queueName: string;
  /** Jobs processed at once by one process; each job carries many payments, so keep it small. */
  readonly concurrency: number;
  /**
   * A processor with a schedule runs on its own every `everyMs` (a BullMQ job scheduler on its
   * queue, named after the queue, kept wherever workers run); `everyMs` 0 removes the scheduler.
   */
  readonly schedule?: { readonly everyMs: number };
  process(job: Job<Data, Result>): Promise<Result>;
}

/** Nest token for the processors the worker app runs; capabilities add theirs to it. */
export const JOB_PROCESSORS = Symbol('JOB_PROCESSORS');

/**
 * Runs a BullMQ worker per processor. Each worker has its own connection that waits for
 * Redis rather than failing, so a worker started before Redis (or across a Redis restart)
 * picks up jobs as soon as Redis answers.
 */
/** A graceful close waits for running jobs; past this, the process stops anyway (jobs are idempotent). */
const CLOSE_TIMEOUT_MS = 10_000;
/** Scheduled runs kept for a look at /jobs: a run's work is in the ledger, not in its job. */
const KEEP_SCHEDULED_COMPLETED = 100;
const KEEP_SCHEDULED_FAILED = 1_000;

export class WorkerHost {
  private readonly logger = new Logger('Workers');
  private readonly workers: Array<{ readonly worker: Worker; readonly connection: IORedis }> = [];
  private readonly schedulers: Queue[] = [];

  constructor(
    private readonly config: QueueConfig,
    private readonly processors: readonly JobProcessor[],
  ) {}

  start(): void {
    for (const processor of this.processors) {
      const connection = new IORedis(this.config.redisUrl, {
        maxRetriesPerRequest: null,
        disconnectTimeout: 200,
        retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
      });
      const worker = new Worker(processor.queueName, (job) => processor.process(job), {
        connection,
        prefix: this.config.prefix,
        concurrency: processor.concurrency,
        autorun: true,
        // After a lost connection, try again within a second or two of Redis returning, not the default 15 s.
        runRetryDelay: 1_000,
      });
      let reportedError = false;
      worker.on('error', (error) => {
        if (!reportedError) this.logger.warn(`${processor.queueName}: ${error.message}`);
        reportedError = true;
      });
      worker.on('ready', () => (reportedError = false));
      this.workers.push({ worker, connection });
      if (processor.schedule) this.keepScheduled(processor.queueName, processor.schedule.everyMs, connection);
    }
    this.logger.log(
      this.processors.length === 0
        ? 'No job processors registered'
        : `Processing ${this.processors.map((processor) => processor.queueName).join(', ')}`,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.schedulers.map((queue) => queue.close().catch(() => undefined)));
    this.schedulers.length = 0;
    await Promise.all(this.workers.map(({ worker, connection }) => this.close(worker, connection)));
    this.workers.length = 0;
  }

  /**
   * Puts (or updates) the queue's job scheduler each time the connection is ready: at start and
   * after Redis came back, which also restores a scheduler a Redis restart lost. Upserting is
   * idempotent, so every process running workers may do it. `everyMs` 0 removes it instead.
   */
  private keepScheduled(queueName: string, everyMs: number, connection: IORedis): void {
    const queue = new Queue(queueName, { connection, prefix: this.config.prefix });
    queue.on('error', () => undefined);
    this.schedulers.push(queue);
    const keep = async () => {
      if (everyMs === 0) {
        await queue.removeJobScheduler(queueName);
        return;
      }
      await queue.upsertJobScheduler(
        queueName,
        { every: everyMs },
        {
          name: queueName,
          data: {},
          opts: {
            attempts: 1,
            removeOnComplete: { count: KEEP_SCHEDULED_COMPLETED },
            removeOnFail: { count: KEEP_SCHEDULED_FAILED },
          },
        },
      );
    };
    const onReady = () =>
      void keep().catch((error: Error) => this.logger.warn(`${queueName}: scheduler not set: ${error.message}`));
    connection.on('ready', onReady);
    if (connection.status === 'ready') onReady();
  }

  /**
   * Lets running jobs finish when Redis is there. Without Redis a graceful close would wait for
   * it forever, so it is forced; either way it is bounded, since jobs are idempotent and a job
   * cut short runs again.
   */
  private async close(worker: Worker, connection: IORedis): Promise<void> {
    const force = connection.status !== 'ready';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
    try {
      await Promise.race([worker.close(force).catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
      connection.disconnect();
    }
  }
}
