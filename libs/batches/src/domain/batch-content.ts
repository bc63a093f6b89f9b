import { createHash } from 'node:crypto';
import type { BankAccountSnapshot } from '@salur/payments/domain';

/** One payment as a batch carries it: what the bank file will say. */
export interface BatchItem {
  readonly paymentId: string;
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly account: BankAccountSnapshot;
}

/**
 * The hash an approver signs off. It covers every field the bank file will carry, so any change
 * (a payment added or removed, an amount, an account, a name) gives another hash, and an
 * approval of the old content no longer counts. Order-independent: items are sorted by id.
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
