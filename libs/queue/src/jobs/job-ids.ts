/**
 * Deterministic BullMQ job ids: the same work asked twice is the same job, which BullMQ keeps
 * once. BullMQ refuses ':' in custom ids, so the parts are joined with '.'; programme codes,
 * periods, UUIDs and hex digests never contain one.
 */
export const BANK_QUEUES = {
  openRound: 'open-round',
  buildBatches: 'build-batches',
  writeBankFile: 'write-bank-file',
  ingestBankResults: 'ingest-bank-results',
} as const;
export type BankQueueName = (typeof BANK_QUEUES)[keyof typeof BANK_QUEUES];

export function openRoundJobId(programmeId: string, period: string): string {
  return `${BANK_QUEUES.openRound}.${programmeId}.${period}`;
}

/** One build per request: a later build (after reissues) is new work; a retry of one is not. */
export function buildBatchesJobId(programmeId: string, period: string, requestId: string): string {
  return `${BANK_QUEUES.buildBatches}.${programmeId}.${period}.${requestId}`;
}

export function writeBankFileJobId(batchId: string): string {
  return `${BANK_QUEUES.writeBankFile}.${batchId}`;
}

export function ingestJobId(sha256: string): string {
  return `${BANK_QUEUES.ingestBankResults}.${sha256}`;
}

/** The queue a job id belongs to, from its first part. */
export function queueOfJobId(jobId: string): BankQueueName | undefined {
  const prefix = jobId.split('.')[0];
  return (Object.values(BANK_QUEUES) as string[]).includes(prefix) ? (prefix as BankQueueName) : undefined;
}
