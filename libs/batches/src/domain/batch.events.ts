import { eventRegistry, type BatchContentFormat, type DomainEvent } from '@salur/kernel';
import type { BatchContentLine } from './batch-content';

/** The batch's own record of its payments; accounts live on each payment's PaymentBatched event. */
export interface BatchPaymentLine {
  readonly paymentId: string;
  readonly amount: string;
}

/**
 * The first step of making a batch (a workflow over the batch and its payments' streams): its
 * payments and total. Claims follow (PaymentBatched in each payment's stream, with the account
 * the bank file will pay into), then BatchCreated with the content hash over those accounts, or
 * BatchCreationAbandoned when a claim is refused; whichever process runs next finishes or
 * compensates a creation a crash interrupted. No accounts here: the claims carry them once.
 */
export type BatchCreationStarted = DomainEvent<
  'BatchCreationStarted',
  {
    batchId: string;
    programmeId: string;
    period: string;
    makerId: string;
    payments: BatchPaymentLine[];
    count: number;
    controlSum: string;
    requiredApprovals: number;
    expiresAt: string;
    at: string;
    /** salur-batch/v2: the audit log's leaf keeps the root of the lines, not the list. Absent before. */
    contentFormat?: BatchContentFormat;
  }
>;
/** A creation that cannot finish (a claim was refused): its claims are given back. */
export type BatchCreationAbandoned = DomainEvent<
  'BatchCreationAbandoned',
  { batchId: string; reason: string; at: string }
>;

/**
 * The batch holds its payments. In salur-batch/v2 (`contentFormat`) each line is a BatchContentLine
 * (the account bound by the beneficiary's record revision) and `contentHash` is over their Merkle
 * root, count and total (batch-content.ts); absent, the lines are `{paymentId, amount}` and the hash
 * the first one.
 */
export type BatchCreated = DomainEvent<
  'BatchCreated',
  {
    batchId: string;
    programmeId: string;
    period: string;
    makerId: string;
    payments: BatchPaymentLine[] | BatchContentLine[];
    count: number;
    controlSum: string;
    contentHash: string;
    requiredApprovals: number;
    expiresAt: string;
    at: string;
    contentFormat?: BatchContentFormat;
  }
>;
/** In salur-batch/v2, `linesRoot` is the root of the lines that remain, which `contentHash` covers. */
export type BatchChanged = DomainEvent<
  'BatchChanged',
  {
    batchId: string;
    removedPaymentIds: string[];
    reason: string;
    count: number;
    controlSum: string;
    contentHash: string;
    requiredApprovals: number;
    changedBy: string;
    at: string;
    contentFormat?: BatchContentFormat;
    linesRoot?: string;
  }
>;
export type BatchApprovalRecorded = DomainEvent<
  'BatchApprovalRecorded',
  { batchId: string; approverId: string; contentHash: string; approvals: number; requiredApprovals: number; at: string }
>;
export type BatchApproved = DomainEvent<
  'BatchApproved',
  {
    batchId: string;
    programmeId: string;
    contentHash: string;
    approverIds: string[];
    count: number;
    controlSum: string;
    at: string;
  }
>;
export type BatchRejected = DomainEvent<
  'BatchRejected',
  { batchId: string; reason: string; rejectedBy: string; wasApproved: boolean; at: string }
>;
export type BatchCancelled = DomainEvent<
  'BatchCancelled',
  { batchId: string; reason: string; cancelledBy: string; wasApproved: boolean; at: string }
>;
export type BatchExpired = DomainEvent<'BatchExpired', { batchId: string; at: string }>;

/** The two renderings of an approved batch that go to the bank. */
export const BATCH_FILE_FORMATS = ['pain001', 'csv'] as const;
export type BatchFileFormat = (typeof BATCH_FILE_FORMATS)[number];

/**
 * A bank file was written for an approved batch. Count and control sum are those of the batch
 * (the decider refuses anything else); `chargeBearer` is always DEBT: the programme bears every
 * charge, nothing is taken from the beneficiary. The SHA-256 names the exact bytes handed over.
 */
export type BatchFileGenerated = DomainEvent<
  'BatchFileGenerated',
  {
    batchId: string;
    fileName: string;
    format: BatchFileFormat;
    sha256: string;
    count: number;
    controlSum: string;
    chargeBearer: 'DEBT';
    generatedBy: string;
    generatedAt: string;
  }
>;

/** The batch's pain.001 was handed to the bank: from now on it is never sent again. */
export type BatchSubmitted = DomainEvent<
  'BatchSubmitted',
  { batchId: string; fileName: string; sha256: string; submittedBy: string; at: string }
>;

/**
 * Every line of a submitted batch has a final outcome (the bank's, or two officers' decision on
 * an unknown one): the batch is done with. Written by the scheduled pass (BankOutcomePass) once
 * it has read each payment's stream; the counts are of the lines by outcome.
 */
export type BatchSettled = DomainEvent<
  'BatchSettled',
  {
    batchId: string;
    count: number;
    credited: number;
    rejected: number;
    returned: number;
    reversed: number;
    decidedCredited: number;
    decidedNotCredited: number;
    at: string;
  }
>;

export type BatchEvent =
  | BatchCreationStarted
  | BatchCreationAbandoned
  | BatchCreated
  | BatchChanged
  | BatchApprovalRecorded
  | BatchApproved
  | BatchRejected
  | BatchCancelled
  | BatchExpired
  | BatchFileGenerated
  | BatchSubmitted
  | BatchSettled;

/** Every batch event type, for readers of the log (see toDomainEvent). */
export const BATCH_EVENTS = eventRegistry<BatchEvent>({
  BatchCreationStarted: true,
  BatchCreationAbandoned: true,
  BatchCreated: true,
  BatchChanged: true,
  BatchApprovalRecorded: true,
  BatchApproved: true,
  BatchRejected: true,
  BatchCancelled: true,
  BatchExpired: true,
  BatchFileGenerated: true,
  BatchSubmitted: true,
  BatchSettled: true,
});
