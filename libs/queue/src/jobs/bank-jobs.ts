import { Inject, Injectable, NotFoundException, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnection } from '../redis-connection';
import { Job, JobsOptions, Queue } from 'bullmq';
import type { JobOrigin } from './job-context';
import { BANK_QUEUES, BankQueueName, queueOfJobId } from './job-ids';
import { JOBS_CONFIG, JobsConfig } from './jobs.config';
import { QueueNaming } from './ledger-identity';
import type { JobView, RunView } from './job-view';
import { BankJobLedger } from './recovery/bank-job-ledger';

export type { JobView } from './job-view';

/** Completed jobs kept per queue (for GET /jobs/:id and for de-duplicating by job id), failed ones kept. */
const KEEP_COMPLETED_JOBS = 1_000;
const KEEP_FAILED_JOBS = 10_000;
/** First retry after 1 s, then 2 s, 4 s… */
const BACKOFF_DELAY_MS = 1_000;
const MAX_FAILED_LISTED = 100;
/** Runs of one piece of work (a round asked for again and again); far above any real use. */
const MAX_RUNS = 1_000_000;
/** BullMQ states of a job that has not started: a request for the same work joins it. */
const NOT_STARTED = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'unknown']);

/**
 * Starts bank-integration jobs and reports on them. Each job has a deterministic id: asking
 * for the same work again returns the job already there instead of adding one. The request is
 * recorded in the ledger before the job is queued, so a job Redis loses is put back from the
 * ledger (JobRecovery) rather than forgotten.
 */
@Injectable()
export class BankJobs implements OnApplicationShutdown {
  private readonly queues = new Map<BankQueueName, Queue>();

  constructor(
    private readonly connection: RedisConnection,
    @Inject(JOBS_CONFIG) private readonly config: JobsConfig,
    private readonly ledger: BankJobLedger,
    private readonly naming: QueueNaming,
  ) {}

  async start<Data extends { readonly origin: JobOrigin }>(
    queueName: BankQueueName,
    jobId: string,
    data: Data,
  ): Promise<JobView> {
    await this.ledger.request(queueName, jobId, data);
    const job = await this.add(queueName, jobId, data);
    return this.viewOf(queueName, job, await job.getState());
  }

  /**
   * Work asked for again once done (a round's supplementary runs): runs 1, 2, … each a job of its
   * own, `jobIdOfRun(run)`. A request joins the latest run while that run has not started, so
   * asking twice at once is the same job; once it started or finished, a request opens the next
   * run, which sees everything written before it. The choice rests on the ledger's records
   * (asked for, finished) and the queue's state, so a run Redis lost is joined and put back.
   */
  async startRun<Data extends { readonly origin: JobOrigin }>(
    queueName: BankQueueName,
    jobIdOfRun: (run: number) => string,
    dataOfRun: (run: number) => Data,
  ): Promise<RunView> {
    const latest = await this.latestRun(jobIdOfRun);
    const run = latest > 0 && (await this.notStarted(queueName, jobIdOfRun(latest))) ? latest : latest + 1;
    return { ...(await this.start(queueName, jobIdOfRun(run), dataOfRun(run))), run };
  }

  /**
   * The last run asked for (0: none). Runs are asked for in order, so those recorded are 1 to n:
   * n is found by doubling, then halving, in about 2·log2(n) reads of small streams.
   */
  private async latestRun(jobIdOfRun: (run: number) => string): Promise<number> {
    const requested = async (run: number) => (await this.ledger.stateOf(jobIdOfRun(run))).request !== undefined;
    let found = 0;
    let missing = 1;
    while (await requested(missing)) {
      found = missing;
      missing *= 2;
      if (missing > MAX_RUNS) throw new Error(`More than ${MAX_RUNS} runs of ${jobIdOfRun(1)}`);
    }
    while (missing - found > 1) {
      const middle = Math.floor((found + missing) / 2);
      if (await requested(middle)) found = middle;
      else missing = middle;
    }
    return found;
  }

  private async notStarted(queueName: BankQueueName, jobId: string): Promise<boolean> {
    if ((await this.ledger.stateOf(jobId)).outcome !== undefined) return false;
    return NOT_STARTED.has(await this.queue(queueName).getJobState(jobId));
  }

  /** Adds a job the ledger owes unless its queue still has it; true when it was added. */
  async addUnlessPresent(queueName: BankQueueName, jobId: string, data: object): Promise<boolean> {
    if ((await this.queue(queueName).getJobState(jobId)) !== 'unknown') return false;
    await this.add(queueName, jobId, data);
    return true;
  }

  async find(jobId: string): Promise<JobView> {
    const queueName = queueOfJobId(jobId);
    // The state first: a job read after it says 'completed' carries its result.
    const state = queueName ? await this.queue(queueName).getJobState(jobId) : 'unknown';
    const job = queueName && state !== 'unknown' ? await this.queue(queueName).getJob(jobId) : undefined;
    if (!queueName || !job) {
      throw new NotFoundException({ statusCode: 404, code: 'JOB_NOT_FOUND', message: `No job ${jobId}` });
    }
    return this.viewOf(queueName, job, state);
  }

  async failed(): Promise<JobView[]> {
    const views: JobView[] = [];
    for (const queueName of Object.values(BANK_QUEUES)) {
      const jobs = await this.queue(queueName).getFailed(0, MAX_FAILED_LISTED - 1);
      views.push(...jobs.map((job) => this.viewOf(queueName, job, 'failed')));
    }
    return views.sort((left, right) => (left.createdAt < right.createdAt ? 1 : -1)).slice(0, MAX_FAILED_LISTED);
  }

  /** Waits until a job has finished, for the CLI demo and the tests (never for HTTP requests). */
  async waitUntilFinished(view: JobView, pollMs = 50, onProgress?: (view: JobView) => void): Promise<JobView> {
    for (;;) {
      const current = await this.find(view.id);
      onProgress?.(current);
      if (current.state === 'completed') return current;
      if (current.state === 'failed') throw new Error(`Job ${current.id} failed: ${current.failedReason}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private add(queueName: BankQueueName, jobId: string, data: object): Promise<Job> {
    const options: JobsOptions = {
      jobId,
      attempts: this.config.jobAttempts,
      backoff: { type: 'exponential', delay: BACKOFF_DELAY_MS },
      removeOnComplete: { count: KEEP_COMPLETED_JOBS },
      removeOnFail: { count: KEEP_FAILED_JOBS },
    };
    return this.queue(queueName).add(queueName, data, options);
  }

  queue(name: BankQueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // The ledger's own prefix: another ledger on this Redis, same QUEUE_PREFIX or not, is out of sight.
      queue = new Queue(name, { connection: this.connection.redis, prefix: this.naming.prefix });
      // RedisConnection reports a lost connection once; unheard, each queue would print every failed reconnect.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }

  private viewOf(queueName: string, job: Job, state: string): JobView {
    return {
      id: String(job.id),
      queue: queueName,
      state,
      progress: job.progress,
      attemptsMade: job.attemptsMade,
      result: job.returnvalue ?? null,
      failedReason: job.failedReason ?? null,
      createdAt: new Date(job.timestamp).toISOString(),
      startedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  }
}
