import type { DomainCommand } from '@salur/kernel';
import type { ApprovalPolicy } from '@salur/kernel';
import type { BatchItem } from './batch-content';
import type { BatchFileFormat } from './batch.events';

export type CreateBatch = DomainCommand<
  'CreateBatch',
  {
    batchId: string;
    programmeId: string;
    period: string;
    items: readonly BatchItem[];
    policy: ApprovalPolicy;
    maxPayments: number;
    expiresAt: string;
  }
>;
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
export type BatchCommand =
  | CreateBatch
  | ApproveBatch
  | RemovePaymentsFromBatch
  | RejectBatch
  | CancelBatch
  | ExpireBatch
  | RecordBatchFile
  | SubmitBatch;
