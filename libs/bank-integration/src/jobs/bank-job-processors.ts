import { Injectable } from '@nestjs/common';
import { BANK_QUEUES, failingPermanentlyOnRules, jobContext, type JobProcessor, RecordedRuns } from '@salur/queue';
import type { Job } from 'bullmq';
import { BankFileWriter, WrittenBankFile } from '../application/bank-file-writer';
import { BankResultsIngestion, IngestionSummary } from '../application/bank-results-ingestion';
import { bankFileFailureReason } from './bank-file-failures';
import { IngestBankResultsJobData, WriteBankFileJobData } from './job-data';

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
      failingPermanentlyOnRules(
        () =>
          this.writer.write(job.data.batchId, jobContext(job.data.origin, String(job.id)), (progress) =>
            job.updateProgress(progress),
          ),
        bankFileFailureReason,
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
      failingPermanentlyOnRules(
        () =>
          this.ingestion.ingest(job.data.file, jobContext(job.data.origin, String(job.id)), (progress) =>
            job.updateProgress(progress),
          ),
        bankFileFailureReason,
      ),
    );
  }
}

/** The bank's side of the jobs: writing bank files, ingesting results (all jobs: libs/ledger). */
export const BANK_JOB_PROCESSORS = [WriteBankFileProcessor, IngestBankResultsProcessor] as const;
