import type { DomainEvent } from '@salur/kernel';

/** The batch's own record of its payments; accounts live on each payment's PaymentBatched event. */
export interface BatchPaymentLine {
  readonly paymentId: string;
  readonly amount: string;
}

export type BatchCreated = DomainEvent<
  'BatchCreated',
  {
    batchId: string;
    programmeId: string;
    period: string;
    makerId: string;
    payments: BatchPaymentLine[];
    count: number;
    controlSum: string;
    contentHash: string;
    requiredApprovals: number;
    expiresAt: string;
    at: string;
  }
>;
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

export type BatchEvent =
  BatchCreated | BatchChanged | BatchApprovalRecorded | BatchApproved | BatchRejected | BatchCancelled | BatchExpired;
