import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, EventStore, GlobalPosition } from '@salur/event-store';
import { RedisConnection } from '../../redis-connection';
import { JOBS_CONFIG, JobsConfig } from '../jobs.config';
import { BANK_QUEUES, BankQueueName } from '../job-ids';
import { BankJobs } from '../bank-jobs';
import { OwedJobsTracker } from './jobs-owed';

/** Events read per page while catching up with the log: a bound on what one read holds. */
const READ_PAGE = 5_000;

export interface RecoveryPass {
  /** Jobs the ledger owes (asked for, not finished). */
  readonly owed: number;
  /** Of those, put on their queue by this pass (the rest were still there). */
  readonly added: number;
}

/**
 * Puts back on their queues the jobs Redis lost. The ledger is the record of what was asked
 * (`BankJobRequested`) and what finished (`BankJobFinished`); whatever is asked and not finished
 * is added again under its deterministic id, which BullMQ ignores when the job is still there.
 * Runs at start, whenever Redis comes back, and every JOB_RECOVERY_INTERVAL seconds. Each pass
 * reads only the log written since the last one; memory holds the unfinished jobs.
 */
@Injectable()
export class JobRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobRecovery');
  private readonly tracker = new OwedJobsTracker();
  private position: GlobalPosition | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<RecoveryPass> | undefined;
  private stopped = false;
  private readonly onRedisReady = () => void this.recover();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly jobs: BankJobs,
    private readonly connection: RedisConnection,
    @Inject(JOBS_CONFIG) private readonly config: JobsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.jobRecoveryIntervalMs === 0) return;
    this.connection.redis.on('ready', this.onRedisReady);
    this.timer = setInterval(() => void this.recover(), this.config.jobRecoveryIntervalMs);
    // The interval alone never keeps a process alive.
    this.timer.unref();
    void this.recover();
  }

  /** One pass at a time; a call during a pass waits for it. Never throws: a failed pass is logged. */
  recover(): Promise<RecoveryPass> {
    this.pass ??= this.recoverOnce()
      .catch((error: Error) => {
        this.logger.warn(`Recovery pass failed (the next one retries): ${error.message}`);
        return { owed: 0, added: 0 };
      })
      .finally(() => (this.pass = undefined));
    return this.pass;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.connection.redis.off('ready', this.onRedisReady);
    await this.pass;
  }

  private async recoverOnce(): Promise<RecoveryPass> {
    await this.catchUp();
    const owed = this.tracker.owed();
    let added = 0;
    if (!this.connection.isUp()) return { owed: owed.length, added };
    for (const job of owed) {
      if (this.stopped) break;
      const queue = queueNamed(job.queue);
      if (!queue) continue;
      if (await this.jobs.addUnlessPresent(queue, job.jobId, job.data)) added++;
    }
    if (added > 0) this.logger.log(`Put back ${added} job(s) the queue had lost (of ${owed.length} unfinished)`);
    return { owed: owed.length, added };
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      let read = 0;
      for await (const event of this.store.readAll({ from: this.position, maxCount: READ_PAGE })) {
        this.tracker.observe(event);
        this.position = event.position;
        read++;
      }
      if (read < READ_PAGE || this.stopped) return;
    }
  }
}

function queueNamed(name: string): BankQueueName | undefined {
  return (Object.values(BANK_QUEUES) as string[]).includes(name) ? (name as BankQueueName) : undefined;
}
