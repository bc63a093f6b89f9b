import type { BatchContentFormat } from '@salur/kernel';
import type { BatchContentLine } from './batch-content';
import type { BatchFileFormat, BatchPaymentLine } from './batch.events';

/** A bank file recorded for the batch. */
export interface RecordedBatchFile {
  readonly format: BatchFileFormat;
  readonly fileName: string;
  readonly sha256: string;
}

interface BatchFacts {
  readonly batchId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly makerId: string;
  /** salur-batch/v2 (once created): BatchContentLine each, the lines the content hash covers. */
  readonly payments: readonly (BatchPaymentLine | BatchContentLine)[];
  readonly controlSum: string;
  /** Absent: the first content hash (batch-content.ts). */
  readonly contentFormat?: BatchContentFormat;
  readonly contentHash: string;
  readonly requiredApprovals: number;
  readonly expiresAt: string;
  /** Approvers of the current content only: a change clears them. */
  readonly approverIds: readonly string[];
  /** Bank files written for the approved content, one per format at most. */
  readonly files: readonly RecordedBatchFile[];
}

export type BatchState =
  | { readonly status: 'absent' }
  /**
   * Being made: its payments are being claimed (see BatchCreationStarted). Its content hash is ''
   * until the claims fix the accounts it covers.
   */
  | (BatchFacts & { readonly status: 'forming'; readonly startedAt: string })
  /** A creation given up: it never held its payments for good, and holds none once they are given back. */
  | (BatchFacts & { readonly status: 'abandoned' })
  | (BatchFacts & {
      readonly status: 'pending' | 'approved' | 'submitted' | 'settled' | 'rejected' | 'cancelled' | 'expired';
    });

export type ExistingBatch = Exclude<BatchState, { status: 'absent' }>;

export const initialBatchState: BatchState = { status: 'absent' };

/**
 * Closed batches release their payments; pending, approved and submitted ones hold them (a forming
 * one is claiming them). A settled batch holds nothing more: each of its payments has its answer.
 */
export function isOpen(state: BatchState): boolean {
  return state.status === 'pending' || state.status === 'approved' || state.status === 'submitted';
}

export function batchStreamName(batchId: string): string {
  return `batch-${batchId}`;
}
