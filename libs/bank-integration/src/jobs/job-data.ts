import type { JobOrigin } from '../application/job-context';
import type { PlannedBatch } from '../application/batch-builder';
import type { ReceivedBankFile } from '../application/bank-results-ingestion';

export interface OpenRoundJobData {
  readonly programmeId: string;
  readonly period: string;
  readonly origin: JobOrigin;
}

export interface BuildBatchesJobData {
  readonly programmeId: string;
  readonly period: string;
  /** The maker of every batch the job records. */
  readonly origin: JobOrigin;
  /** Saved by the job before its first claim, so a retry builds the same batches. */
  readonly plan?: readonly PlannedBatch[];
}

export interface WriteBankFileJobData {
  readonly batchId: string;
  readonly origin: JobOrigin;
}

export interface IngestBankResultsJobData {
  readonly file: ReceivedBankFile;
  readonly origin: JobOrigin;
}
