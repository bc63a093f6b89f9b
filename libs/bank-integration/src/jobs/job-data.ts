import type { JobOrigin } from '@salur/queue';
import type { ReceivedBankFile } from '../application/bank-results-ingestion';

export interface WriteBankFileJobData {
  readonly batchId: string;
  readonly origin: JobOrigin;
}

export interface IngestBankResultsJobData {
  readonly file: ReceivedBankFile;
  readonly origin: JobOrigin;
}
