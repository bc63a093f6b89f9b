import { Logger } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { QueueConfig } from './queue.config';

/** One kind of job, as a capability offers it to the worker app. */
export interface JobProcessor<Data = unknown, Result = unknown> {
  readonly queueName: string;
  /** Jobs processed at once by one process; each job carries many payments, so keep it small. */
  readonly concurrency: number;
  process(job: Job<Data, Result>): Promise<Result>;
}

/** Nest token for the processors the worker app runs; capabilities add theirs to it. */
export const JOB_PROCESSORS = Symbol('JOB_PROCESSORS');

/**
 * Runs a BullMQ worker per processor. Each worker has its own connection that waits for
 * Redis rather than failing, so a worker started before Redis (or across a Redis restart)
 * picks up jobs as soon as Redis answers.
 */
export class WorkerHost {
  private readonly logger = new Logger('Workers');
  private readonly workers: Worker[] = [];

  constructor(
    private readonly config: QueueConfig,
    private readonly processors: readonly JobProcessor[],
  ) {}

  start(): void {
    for (const processor of this.processors) {
      const connection = new IORedis(this.config.redisUrl, {
        maxRetriesPerRequest: null,
        retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
      });
      const worker = new Worker(processor.queueName, (job) => processor.process(job), {
        connection,
        prefix: this.config.prefix,
        concurrency: processor.concurrency,
        autorun: true,
      });
      let reportedError = false;
      worker.on('error', (error) => {
        if (!reportedError) this.logger.warn(`${processor.queueName}: ${error.message}`);
        reportedError = true;
      });
      worker.on('ready', () => (reportedError = false));
      this.workers.push(worker);
    }
    this.logger.log(
      this.processors.length === 0
        ? 'No job processors registered'
        : `Processing ${this.processors.map((processor) => processor.queueName).join(', ')}`,
    );
  }

  async stop(): Promise<void> {
    // Lets running jobs finish; their results are idempotent if the process dies instead.
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
  }
}
