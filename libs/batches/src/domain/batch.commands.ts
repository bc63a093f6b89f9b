import type { DomainCommand } from '@salur/kernel';
import type { ApprovalPolicy } from '@salur/kernel';
import type { OutcomeInBatch } from '@salur/payments/domain';
import type { BatchItem } from './batch-content';
import type { BatchFileFormat } from './batch.events';

/** A payment a new batch will hold: its accounts are read when it is claimed. */
export type BatchLine = Omit<BatchItem, 'account' | 'beneficiaryRevision'>;

/** Starts the creation workflow (BatchCreationStarted); the payments are claimed next. */
export type StartBatchCreation = DomainCommand<
  'StartBatchCreation',
  {
    batchId: string;
    programmeId: string;
    period: string;
    items: readonly BatchLine[];
    policy: ApprovalPolicy;
    maxPayments: number;
    expiresAt: string;
  }
>;
/**
 * Finishes a creation whose claims all succeeded: the batch now holds its payments. The handler
 * passes the items as claimed (each with the account its claim recorded), so the content hash
 * covers the accounts the bank file will use.
 */
export type CreateBatch = DomainCommand<'CreateBatch', { batchId: string; items: readonly BatchItem[] }>;
/** Gives up a creation a claim refused: its claims are then given back. */
export type AbandonBatchCreation = DomainCommand<'AbandonBatchCreation', { batchId: string; reason: string }>;
export type ApproveBatch = DomainCommand<'ApproveBatch', { batchId: string; contentHash: string }>;
/** The handler passes the items that remain, read from the payments, so the new hash covers their accounts. */
export type RemovePaymentsFromBatch = DomainCommand<
  'RemovePaymentsFromBatch',
  {
    batchId: string;
    paymentIds: readonly string[];
    remainingItems: readonly BatchItem[];
    policy: ApprovalPolicy;
    reason: string;
  }
>;
export type RejectBatch = DomainCommand<'RejectBatch', { batchId: string; reason: string }>;
export type CancelBatch = DomainCommand<'CancelBatch', { batchId: string; reason: string }>;
export type ExpireBatch = DomainCommand<'ExpireBatch', { batchId: string }>;

/** What the file writer streamed: the decider checks it against the batch before recording it. */
export type RecordBatchFile = DomainCommand<
  'RecordBatchFile',
  { batchId: string; fileName: string; format: BatchFileFormat; sha256: string; count: number; controlSum: string }
>;
export type SubmitBatch = DomainCommand<'SubmitBatch', { batchId: string }>;
/** The handler reads each line's outcome in this batch from its payment's stream (outcomeInBatchFold). */
export type SettleBatch = DomainCommand<
  'SettleBatch',
  { batchId: string; outcomes: ReadonlyArray<{ readonly paymentId: string; readonly outcome: OutcomeInBatch }> }
>;
export type BatchCommand =
  | StartBatchCreation
  | CreateBatch
  | AbandonBatchCreation
  | ApproveBatch
  | RemovePaymentsFromBatch
  | RejectBatch
  | CancelBatch
  | ExpireBatch
  | RecordBatchFile
  | SubmitBatch
  | SettleBatch;
