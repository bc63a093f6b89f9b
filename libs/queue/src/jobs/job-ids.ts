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
  /** Scheduled, not asked for: its jobs come from a BullMQ job scheduler (JobProcessor.schedule), ids chosen by BullMQ. */
  bankOutcomePass: 'bank-outcome-pass',
} as const;
export type BankQueueName = (typeof BANK_QUEUES)[keyof typeof BANK_QUEUES];

/**
 * Run `run` of a round: the first opens it, each later one is a supplementary run that schedules
 * whoever is not scheduled yet (BankJobs.startRun chooses the run).
 */
export type { RunView } from './job-view';

export function openRoundJobId(programmeId: string, period: string, run = 1): string {
  return `${BANK_QUEUES.openRound}.${programmeId}.${period}.run-${run}`;
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

// Jobs are named under the ledger's own identity (the key prefix): see ledger-identity.ts.
export { identifyLedger, LEDGER_EVENTS, LEDGER_STREAM, ledgerQueuePrefix, QueueNaming } from './ledger-identity';
export type { LedgerIdentified } from './ledger-identity';
