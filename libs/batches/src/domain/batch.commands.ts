import type { CommandContext } from '@salur/kernel';
import type { ApprovalPolicy } from './approval-policy';
import type { BatchItem } from './batch-content';

type BatchCommandOf<Type extends string, Data> = { type: Type; data: Data; context: CommandContext };

export type CreateBatch = BatchCommandOf<
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
export type ApproveBatch = BatchCommandOf<'ApproveBatch', { batchId: string; contentHash: string }>;
/** The handler passes the items that remain, read from the payments, so the new hash covers their accounts. */
export type RemovePaymentsFromBatch = BatchCommandOf<
  'RemovePaymentsFromBatch',
  {
    batchId: string;
    paymentIds: readonly string[];
    remainingItems: readonly BatchItem[];
    policy: ApprovalPolicy;
    reason: string;
  }
>;
export type RejectBatch = BatchCommandOf<'RejectBatch', { batchId: string; reason: string }>;
export type CancelBatch = BatchCommandOf<'CancelBatch', { batchId: string; reason: string }>;
export type ExpireBatch = BatchCommandOf<'ExpireBatch', { batchId: string }>;

export type BatchCommand =
  CreateBatch | ApproveBatch | RemovePaymentsFromBatch | RejectBatch | CancelBatch | ExpireBatch;
