import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '@salur/queue';
import type { Job } from 'bullmq';
import { BankFileWriter, WrittenBankFile } from '../application/bank-file-writer';
import { BankResultsIngestion, IngestionSummary } from '../application/bank-results-ingestion';
import { BatchBuilder, BuiltBatch } from '../application/batch-builder';
import { jobContext } from '../application/job-context';
import { OpenRoundResult, RoundOpener } from '../application/round-opener';
import { BANK_QUEUES } from '../domain';
import { BankJobLedger } from '../recovery/bank-job-ledger';
import { RecordedRuns } from '../recovery/recorded-runs';
import { BuildBatchesJobData, IngestBankResultsJobData, OpenRoundJobData, WriteBankFileJobData } from './job-data';
import { failingPermanentlyOnRules } from './permanent-failures';

@Injectable()
export class OpenRoundProcessor implements JobProcessor<OpenRoundJobData, OpenRoundResult> {
  readonly queueName = BANK_QUEUES.openRound;
  readonly concurrency = 1;

  constructor(
    private readonly opener: RoundOpener,
    private readonly runs: RecordedRuns,
  ) {}

  process(job: Job<OpenRoundJobData, OpenRoundResult>): Promise<OpenRoundResult> {
    return this.runs.run(job, job.data.origin, () =>
      failingPermanentlyOnRules(() =>
        this.opener.open(job.data, jobContext(job.data.origin, String(job.id)), (progress) =>
          job.updateProgress(progress),
        ),
      ),
    );
  }
}

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

@Injectable()
export class WriteBankFileProcessor implements JobProcessor<WriteBankFileJobData, WrittenBankFile[]> {
  readonly queueName = BANK_QUEUES.writeBankFile;
  readonly concurrency = 2;

  constructor(
    private readonly writer: BankFileWriter,
    private readonly runs: RecordedRuns,
  ) {}

  process(job: Job<WriteBankFileJobData, WrittenBankFile[]>): Promise<WrittenBankFile[]> {
    return this.runs.run(job, job.data.origin, () =>
      failingPermanentlyOnRules(() =>
        this.writer.write(job.data.batchId, jobContext(job.data.origin, String(job.id)), (progress) =>
          job.updateProgress(progress),
        ),
      ),
    );
  }
}

@Injectable()
export class IngestBankResultsProcessor implements JobProcessor<IngestBankResultsJobData, IngestionSummary> {
  readonly queueName = BANK_QUEUES.ingestBankResults;
  readonly concurrency = 1;

  constructor(
    private readonly ingestion: BankResultsIngestion,
    private readonly runs: RecordedRuns,
  ) {}

  process(job: Job<IngestBankResultsJobData, IngestionSummary>): Promise<IngestionSummary> {
    return this.runs.run(job, job.data.origin, () =>
      failingPermanentlyOnRules(() =>
        this.ingestion.ingest(job.data.file, jobContext(job.data.origin, String(job.id)), (progress) =>
          job.updateProgress(progress),
        ),
      ),
    );
  }
}

/** The bank-integration jobs, for the worker app's list (apps/worker/src/job-processors.ts). */
export const BANK_JOB_PROCESSORS = [
  OpenRoundProcessor,
  BuildBatchesProcessor,
  WriteBankFileProcessor,
  IngestBankResultsProcessor,
] as const;
