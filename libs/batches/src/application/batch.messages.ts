import { Command, Query } from '@nestjs/cqrs';
import type { CommandReceipt, LedgerContext } from '@salur/application';

export interface BatchReceipt extends CommandReceipt {
  readonly status: string;
  readonly count: number;
  readonly controlSum: string;
  readonly contentHash: string;
  readonly requiredApprovals: number;
  readonly approverIds: readonly string[];
}

export class CreateBatchCommand extends Command<BatchReceipt> {
  constructor(
    readonly input: { readonly programmeId: string; readonly period: string; readonly paymentIds: readonly string[] },
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export class ApproveBatchCommand extends Command<BatchReceipt> {
  constructor(
    readonly batchId: string,
    readonly contentHash: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export class RemovePaymentsFromBatchCommand extends Command<BatchReceipt> {
  constructor(
    readonly batchId: string,
    readonly paymentIds: readonly string[],
    readonly reason: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export type BatchClosing =
  | { readonly type: 'RejectBatch'; readonly reason: string }
  | { readonly type: 'CancelBatch'; readonly reason: string }
  | { readonly type: 'ExpireBatch' };

/** Reject, cancel or expire: the batch closes, its payments return to the pool, its budget is released. */
export class CloseBatchCommand extends Command<BatchReceipt> {
  constructor(
    readonly batchId: string,
    readonly closing: BatchClosing,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export interface BatchView extends BatchReceipt {
  readonly batchId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly makerId: string;
  readonly expiresAt: string;
  readonly payments: ReadonlyArray<{ readonly paymentId: string; readonly amount: string }>;
}

export class GetBatchQuery extends Query<BatchView> {
  constructor(readonly batchId: string) {
    super();
  }
}
