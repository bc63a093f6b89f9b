import { Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import type { JobOrigin } from '../job-context';
import { BankJobLedger } from './bank-job-ledger';

/**
 * Runs a job and records its end in the ledger (`BankJobFinished`), so recovery stops owing
 * it. A failure is recorded only when BullMQ will not try again: a permanent one, or the last
 * attempt. Runs of one job id take turns within the process: after Redis lost a job and
 * recovery put it back, the first run may still be going here (it stops at its next Redis
 * call), and two runs of a bank file must not write the same temporary file at once.
 */
@Injectable()
export class RecordedRuns {
  private readonly logger = new Logger('BankJobs');
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly ledger: BankJobLedger) {}

  async run<Result>(job: Job, origin: JobOrigin, work: () => Promise<Result>): Promise<Result> {
    const jobId = String(job.id);
    const previous = this.running.get(jobId) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.recorded(job, jobId, origin, work));
    this.running.set(jobId, current);
    try {
      return await current;
    } finally {
      if (this.running.get(jobId) === current) this.running.delete(jobId);
    }
  }

  private async recorded<Result>(
    job: Job,
    jobId: string,
    origin: JobOrigin,
    work: () => Promise<Result>,
  ): Promise<Result> {
    let result: Result;
    try {
      result = await work();
    } catch (error) {
      const last = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) {
        await this.ledger
          .finish(jobId, 'failed', (error as Error).message, origin)
          .catch((recording: Error) => this.logger.warn(`${jobId}: its failure is not recorded: ${recording.message}`));
      }
      throw error;
    }
    await this.ledger.finish(jobId, 'completed', null, origin);
    return result;
  }
}
