import { Injectable } from '@nestjs/common';
import type { JobProcessor } from '@salur/queue';
import type { Job } from 'bullmq';
import { BankFileWriter, WrittenBankFile } from '../application/bank-file-writer';
import { BankResultsIngestion, IngestionSummary } from '../application/bank-results-ingestion';
import { BatchBuilder, BuiltBatch } from '../application/batch-builder';
import { jobContext } from '../application/job-context';
import { OpenRoundResult, RoundOpener } from '../application/round-opener';
import { BANK_QUEUES } from '../domain';
import { BuildBatchesJobData, IngestBankResultsJobData, OpenRoundJobData, WriteBankFileJobData } from './job-data';
import { failingPermanentlyOnRules } from './permanent-failures';

/** Where a retried job left off: the `done` of its last reported progress. */
function progressDone(job: Job): number {
  const progress = job.progress as { done?: unknown } | number;
  return typeof progress === 'object' && typeof progress.done === 'number' ? progress.done : 0;
}

@Injectable()
export class OpenRoundProcessor implements JobProcessor<OpenRoundJobData, OpenRoundResult> {
  readonly queueName = BANK_QUEUES.openRound;
  readonly concurrency = 1;

  constructor(private readonly opener: RoundOpener) {}

  process(job: Job<OpenRoundJobData, OpenRoundResult>): Promise<OpenRoundResult> {
    return failingPermanentlyOnRules(() =>
      this.opener.open(
        job.data,
        jobContext(job.data.origin, String(job.id)),
        (progress) => job.updateProgress(progress),
        progressDone(job),
      ),
    );
  }
}

@Injectable()
export class BuildBatchesProcessor implements JobProcessor<BuildBatchesJobData, BuiltBatch[]> {
  readonly queueName = BANK_QUEUES.buildBatches;
  readonly concurrency = 1;

  constructor(private readonly builder: BatchBuilder) {}

  process(job: Job<BuildBatchesJobData, BuiltBatch[]>): Promise<BuiltBatch[]> {
    return failingPermanentlyOnRules(() =>
      this.builder.build(
        job.data,
        String(job.id),
        jobContext(job.data.origin, String(job.id)),
        job.data.plan,
        (plan) => job.updateData({ ...job.data, plan }),
        (progress) => job.updateProgress(progress),
      ),
    );
  }
}

@Injectable()
export class WriteBankFileProcessor implements JobProcessor<WriteBankFileJobData, WrittenBankFile[]> {
  readonly queueName = BANK_QUEUES.writeBankFile;
  readonly concurrency = 2;

  constructor(private readonly writer: BankFileWriter) {}

  process(job: Job<WriteBankFileJobData, WrittenBankFile[]>): Promise<WrittenBankFile[]> {
    return failingPermanentlyOnRules(() =>
      this.writer.write(job.data.batchId, jobContext(job.data.origin, String(job.id)), (progress) =>
        job.updateProgress(progress),
      ),
    );
  }
}

@Injectable()
export class IngestBankResultsProcessor implements JobProcessor<IngestBankResultsJobData, IngestionSummary> {
  readonly queueName = BANK_QUEUES.ingestBankResults;
  readonly concurrency = 1;

  constructor(private readonly ingestion: BankResultsIngestion) {}

  process(job: Job<IngestBankResultsJobData, IngestionSummary>): Promise<IngestionSummary> {
    return failingPermanentlyOnRules(() =>
      this.ingestion.ingest(job.data.file, jobContext(job.data.origin, String(job.id)), (progress) =>
        job.updateProgress(progress),
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
