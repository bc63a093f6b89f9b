import { handleCommand, type LedgerContext, metadataOf } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import { DomainError } from '@salur/kernel';
import {
  bankJobDecider,
  bankJobStreamName,
  type JobOrigin,
  type JobOutcome,
  type OwedJob,
  OwedJobsTracker,
} from '@salur/queue';
import { BankFileContentError, BankFileRefusedError } from '@salur/bank-integration';
import type { SimulatedClock } from './simulated-clock';

/** Failures a job does not retry: a rule, or a file the bank or the ledger refuses whole. */
function isPermanent(error: unknown): boolean {
  return error instanceof DomainError || error instanceof BankFileRefusedError || error instanceof BankFileContentError;
}

/**
 * The queue, without Redis: a job is asked for in the ledger (BankJobRequested), run at once, and
 * its end recorded (BankJobFinished), through the same decider the service's BankJobLedger uses,
 * with the simulated clock. A job the power cut short stays owed in the ledger; after a restart
 * `owed()` finds it, as JobRecovery and BullMQ's stalled-job check would, and the simulation runs
 * it again.
 */
export class SimulatedJobs {
  constructor(
    private readonly store: EventStore,
    private readonly clock: SimulatedClock,
  ) {}

  async run<Result>(
    queue: string,
    jobId: string,
    data: { readonly origin: JobOrigin },
    work: (context: LedgerContext) => Promise<Result>,
  ): Promise<Result | undefined> {
    await this.record(jobId, data.origin, { type: 'RequestBankJob', data: { jobId, queue, data: { ...data } } });
    return this.resume(jobId, data.origin, work);
  }

  /** Runs a job already asked for; a permanent failure is recorded and answered with undefined. */
  async resume<Result>(
    jobId: string,
    origin: JobOrigin,
    work: (context: LedgerContext) => Promise<Result>,
  ): Promise<Result | undefined> {
    let result: Result;
    try {
      result = await work(this.contextOf(jobId, origin));
    } catch (error) {
      if (!isPermanent(error)) throw error;
      await this.finish(jobId, origin, 'failed', (error as Error).message);
      return undefined;
    }
    await this.finish(jobId, origin, 'completed', null);
    return result;
  }

  async owed(): Promise<OwedJob[]> {
    const tracker = new OwedJobsTracker();
    for await (const event of this.store.readAll()) tracker.observe(event);
    return tracker.owed();
  }

  private finish(jobId: string, origin: JobOrigin, outcome: JobOutcome, reason: string | null): Promise<void> {
    return this.record(jobId, origin, { type: 'FinishBankJob', data: { jobId, outcome, reason } });
  }

  private async record(
    jobId: string,
    origin: JobOrigin,
    command:
      | { type: 'RequestBankJob'; data: { jobId: string; queue: string; data: Readonly<Record<string, unknown>> } }
      | { type: 'FinishBankJob'; data: { jobId: string; outcome: JobOutcome; reason: string | null } },
  ): Promise<void> {
    const context = this.contextOf(jobId, origin);
    await handleCommand(
      this.store,
      bankJobStreamName(jobId),
      bankJobDecider,
      { ...command, context },
      {
        metadata: metadataOf(context),
      },
    );
  }

  private contextOf(jobId: string, origin: JobOrigin): LedgerContext {
    return { actor: origin.actor, now: this.clock.now(), correlationId: origin.correlationId, causationId: jobId };
  }
}
