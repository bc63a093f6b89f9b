import { createHash } from 'node:crypto';
import {
  amountOf,
  BATCH_CONTENT_FORMAT,
  batchContentHashV2,
  batchLinesRoot,
  canonicalBatchLine,
  type CanonicalBatchLine,
  formatAmount,
  sortBatchLines,
  sumAmounts,
} from '@salur/kernel';
import type { BankAccountSnapshot } from '@salur/payments/domain';

/** One payment as a batch carries it: what the bank file will say. */
export interface BatchItem {
  readonly paymentId: string;
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly account: BankAccountSnapshot;
  /**
   * The revision of the beneficiary's record the account was read at (PaymentBatched names it):
   * the salur-batch/v2 line binds the account by this reference. Undefined only for a payment
   * claimed before claims named it; its batch then keeps the v1 content hash.
   */
  readonly beneficiaryRevision?: number | undefined;
}

/** A salur-batch/v2 line as BatchCreated stores it (the leaf in the audit log keeps only its root). */
export interface BatchContentLine {
  readonly paymentId: string;
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly bankCode: string;
  readonly beneficiaryRevision: number;
}

export { BATCH_CONTENT_FORMAT };

/** The v2 lines of the items, in tree order; undefined when one lacks its beneficiary's revision (v1 then). */
export function contentLinesOf(items: readonly BatchItem[]): BatchContentLine[] | undefined {
  const lines: BatchContentLine[] = [];
  for (const item of items) {
    if (item.beneficiaryRevision === undefined) return undefined;
    lines.push({
      paymentId: item.paymentId,
      beneficiaryId: item.beneficiaryId,
      amount: item.amount,
      bankCode: item.account.bankCode,
      beneficiaryRevision: item.beneficiaryRevision,
    });
  }
  return lines.sort((left, right) =>
    left.paymentId < right.paymentId ? -1 : left.paymentId > right.paymentId ? 1 : 0,
  );
}

/** The lines root (hex) of v2 lines: RFC 9162 over their canonical arrays, by paymentId. */
export function linesRootOf(lines: readonly BatchContentLine[]): string {
  return batchLinesRoot(sortBatchLines<CanonicalBatchLine>(lines.map(canonicalBatchLine)));
}

/**
 * The salur-batch/v2 hash an approver signs off: the header (batch, round, count, total) and the
 * root of the lines, each line naming the beneficiary's record revision that holds the account.
 * Any change (a line added or removed, an amount, an account changed: a new revision) gives
 * another hash, and an approval of the old content no longer counts.
 */
export function contentHashV2Of(
  batch: { batchId: string; programmeId: string; period: string },
  lines: readonly BatchContentLine[],
): { readonly contentHash: string; readonly linesRoot: string } {
  const linesRoot = linesRootOf(lines);
  const total = formatAmount(sumAmounts(lines.map((line) => amountOf(line.amount))));
  const { batchId, programmeId, period } = batch;
  return {
    contentHash: batchContentHashV2({ batchId, programmeId, period, count: lines.length, total, linesRoot }),
    linesRoot,
  };
}

/**
 * The first content hash (no `contentFormat` on the event): one SHA-256 over every line with the
 * account in clear. Kept so that batches written before salur-batch/v2 still verify and approve.
 * Order-independent: items are sorted by id.
 */
export function contentHashOf(
  batch: { batchId: string; programmeId: string; period: string },
  items: readonly BatchItem[],
): string {
  const rows = [...items]
    .sort((left, right) => (left.paymentId < right.paymentId ? -1 : left.paymentId > right.paymentId ? 1 : 0))
    .map((item) => [
      item.paymentId,
      item.beneficiaryId,
      item.amount,
      item.account.bankCode,
      item.account.accountNumber,
      item.account.accountHolderName,
    ]);
  const canonical = JSON.stringify([batch.batchId, batch.programmeId, batch.period, rows]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
