import type { BatchPaymentLine } from './batch.events';

interface BatchFacts {
  readonly batchId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly makerId: string;
  readonly payments: readonly BatchPaymentLine[];
  readonly controlSum: string;
  readonly contentHash: string;
  readonly requiredApprovals: number;
  readonly expiresAt: string;
  /** Approvers of the current content only: a change clears them. */
  readonly approverIds: readonly string[];
}

export type BatchState =
  | { readonly status: 'absent' }
  | (BatchFacts & { readonly status: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired' });

export type ExistingBatch = Exclude<BatchState, { status: 'absent' }>;

export const initialBatchState: BatchState = { status: 'absent' };

/** Closed batches have released their payments; only pending and approved ones hold them. */
export function isOpen(state: BatchState): boolean {
  return state.status === 'pending' || state.status === 'approved';
}

export function batchStreamName(batchId: string): string {
  return `batch-${batchId}`;
}
