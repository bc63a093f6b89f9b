import { randomUUID } from 'node:crypto';
import { EventStore, GlobalPosition } from '@salur/event-store';
import { RedisConnection } from '@salur/queue';
import { ChildProcess } from 'node:child_process';
import { killed, startWorkerProcess } from '../../bank-integration/support/worker-process';
import { BankJobLedger, BankJobs, BankQueueName, JobOrigin, jobsConfigFrom, JobView, QueueNaming } from '@salur/queue';

const POLL_MS = 5;
/** No step of these tests should take longer; past it, the test fails with what it waited for. */
const WAIT_LIMIT_MS = 240_000;

export const officer: JobOrigin = {
  actor: { userId: 'po-1', role: 'programme-officer' },
  correlationId: randomUUID(),
};
export const maker: JobOrigin = {
  actor: { userId: 'fo-maker', role: 'finance-officer' },
  correlationId: randomUUID(),
};

/**
 * Starts jobs the way the API's controllers do (BankJobs: the request recorded in the ledger,
 * then the job queued under its deterministic id) and reads them back.
 */
export class JobClient {
  private constructor(
    private readonly connection: RedisConnection,
    readonly jobs: BankJobs,
    /** The key prefix of the ledger's queues: QUEUE_PREFIX and the ledger's identity. */
    readonly queuePrefix: string,
  ) {}

  /** On the queues of the ledger `store` holds (its identity read, or written if it has none yet). */
  static async connect(redisUrl: string, prefix: string, store: EventStore): Promise<JobClient> {
    const connection = new RedisConnection({ redisUrl, prefix });
    connection.start();
    await waitUntil('the test connected to Redis', async () => connection.isUp());
    const naming = await QueueNaming.of(store, prefix);
    const jobs = new BankJobs(connection, jobsConfigFrom({}), new BankJobLedger(store), naming);
    return new JobClient(connection, jobs, naming.prefix);
  }

  start<Data extends { readonly origin: JobOrigin }>(
    queue: BankQueueName,
    jobId: string,
    data: Data,
  ): Promise<JobView> {
    return this.jobs.start(queue, jobId, data);
  }

  /** The job as its queue holds it now; undefined when the queue does not have it (or Redis is away). */
  async find(jobId: string): Promise<JobView | undefined> {
    if (!this.connection.isUp()) return undefined;
    return this.jobs.find(jobId).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.jobs.onApplicationShutdown();
    await this.connection.stop();
  }
}

/** The real worker app in a child process; kill() is SIGKILL, and waits until it is gone. */
export class WorkerApp {
  private current: { child: ChildProcess; output: () => string } | undefined;
  kills = 0;
  starts = 0;

  constructor(private readonly env: Record<string, string>) {}

  start(): void {
    this.current = startWorkerProcess(this.env);
    this.starts++;
  }

  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  isRunning(): boolean {
    const child = this.current?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async kill(): Promise<NodeJS.Signals | null> {
    const child = this.current?.child;
    if (!child) return null;
    child.kill('SIGKILL');
    this.kills++;
    return killed(child);
  }

  /** What the worker printed, for a failing test's message. */
  output(): string {
    return this.current?.output() ?? '';
  }

  async stop(): Promise<void> {
    const child = this.current?.child;
    if (child && this.isRunning()) {
      child.kill('SIGKILL');
      await killed(child);
    }
  }
}

/** Polls until `condition` holds; fails after WAIT_LIMIT_MS naming what it waited for. */
export async function waitUntil(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** `done` of a job's last reported progress. */
export function progressDone(job: JobView | undefined): number {
  const progress = job?.progress as { done?: unknown } | undefined;
  return typeof progress?.done === 'number' ? progress.done : 0;
}

/**
 * Counts events by type as the log grows, reading only what is new at each call, so a test
 * can poll the ledger every few milliseconds while a worker writes tens of thousands of events.
 */
export class LogCounter {
  private position: GlobalPosition | undefined;
  private readonly counts = new Map<string, number>();

  constructor(private readonly store: EventStore) {}

  async count(type: string): Promise<number> {
    for await (const event of this.store.readAll({ from: this.position })) {
      this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
      this.position = event.position;
    }
    return this.counts.get(type) ?? 0;
  }

  /** Every event of the log so far. */
  async total(): Promise<number> {
    await this.count('');
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }
}
