import { amountOf } from '@salur/kernel';
import type { PaymentCredited } from '@salur/payments/domain';
import type { BankResultException } from './bank-file.events';

/*
 * The facts that raise an exception item, read the same way by every read model that counts
 * them (the exception queue here, the batch views in libs/batches): one rule, one count.
 */

/** A credit of less than the approved amount: the decider records the deduction and flags it. */
export function isShortCredit(credited: Pick<PaymentCredited['data'], 'deductedAmount'>): boolean {
  return !amountOf(credited.deductedAmount).isZero();
}

/**
 * The metadata key under which an ingestion names the file line that caused a payment event
 * (its causation, finer than the job): a short credit is an item of that file and line.
 */
export const BANK_FILE_LINE_METADATA = 'bankFileLine';

export interface BankFileLineRef {
  readonly sha256: string;
  readonly line: number;
}

export function bankFileLineOf(metadata: Readonly<Record<string, unknown>>): BankFileLineRef | undefined {
  const ref = metadata[BANK_FILE_LINE_METADATA] as { sha256?: unknown; line?: unknown } | undefined;
  if (typeof ref !== 'object' || ref === null) return undefined;
  const { sha256, line } = ref;
  return typeof sha256 === 'string' && typeof line === 'number' ? { sha256, line } : undefined;
}

/**
 * The batch an exception counts against: the one its line named or its payment was in when it
 * was reconciled (recorded since the queue exists), else, for exceptions recorded before, the
 * batch of its payment's latest attempt. A line naming neither a batch nor a known payment
 * counts against its file only.
 */
export function exceptionBatchIdOf(
  data: Pick<BankResultException['data'], 'batchId' | 'paymentId'>,
  batchOfPayment: (paymentId: string) => string | undefined,
): string | null {
  if (typeof data.batchId === 'string') return data.batchId;
  return (data.paymentId === null ? undefined : batchOfPayment(data.paymentId)) ?? null;
}
