import { Injectable } from '@nestjs/common';
import {
  BANK_QUEUES,
  BankJobLedger,
  failingPermanentlyOnRules,
  jobContext,
  type JobOrigin,
  type JobProcessor,
  RecordedRuns,
} from '@salur/queue';
import type { Job } from 'bullmq';
import { BatchBuilder, type BuiltBatch, type PlannedBatch } from '../application/batch-builder';

export interface BuildBatchesJobData {
  readonly programmeId: string;
  readonly period: string;
  /** The maker of every batch the job records. */
  readonly origin: JobOrigin;
  /** Saved by the job before its first claim, so a retry builds the same batches. */
  readonly plan?: readonly PlannedBatch[];
}

/** Groups a round's unbatched payments into batches in the worker (BatchBuilder). */
@Injectable()
export class BuildBatchesProcessor implements JobProcessor<BuildBatchesJobData, BuiltBatch[]> {
  readonly queueName = BANK_QUEUES.buildBatches;
  readonly concurrency = 1;

  constructor(
    private readonly builder: BatchBuilder,
    private readonly runs: RecordedRuns,
    private readonly ledger: BankJobLedger,
  ) {}

  /**
   * The plan is kept in the ledger as well as in the job's data: a job Redis lost comes back
   * from the ledger's request, and must build the batches the lost one had begun.
   */
  process(job: Job<BuildBatchesJobData, BuiltBatch[]>): Promise<BuiltBatch[]> {
    const jobId = String(job.id);
    return this.runs.run(job, job.data.origin, () =>
      failingPermanentlyOnRules(async () =>
        this.builder.build(
          job.data,
          jobId,
          jobContext(job.data.origin, jobId),
          job.data.plan ?? (await this.ledger.plan(jobId)),
          async (plan) => {
            await this.ledger.recordPlan(jobId, plan, job.data.origin);
            await job.updateData({ ...job.data, plan });
          },
          (progress) => job.updateProgress(progress),
        ),
      ),
    );
  }
}
