import { randomUUID } from 'node:crypto';
import { BANK_RESULT_CSV_COLUMNS, bankResultCsvRow, compactId } from '@salur/bank-integration';
import { paymentIdFor } from '@salur/payments/domain';
import { SENT_TO_ACCOUNT } from './sent-payments';

export interface CsvCredit {
  readonly paymentId: string;
  readonly amount?: string;
  readonly reference: string;
  /** The batch the line names (PmtInfId); none when omitted. */
  readonly batchId?: string;
  readonly account?: string;
}

/** A bank result CSV of credits, one line each, in order (line 1 is the first credit). */
export function creditsCsv(credits: readonly CsvCredit[]): string {
  return (
    `${BANK_RESULT_CSV_COLUMNS.join(',')}\r\n` +
    credits
      .map((credit) =>
        bankResultCsvRow({
          endToEndId: compactId(credit.paymentId),
          outcome: 'credited',
          amount: credit.amount ?? '600000.00',
          currency: 'IDR',
          account: credit.account ?? SENT_TO_ACCOUNT,
          bankReference: credit.reference,
          valueDate: '2026-11-27',
          ...(credit.batchId === undefined ? {} : { paymentInfoId: compactId(credit.batchId) }),
        }),
      )
      .join('')
  );
}

/** A payment id of ours in form that no payment has. */
export function unknownPaymentId(): string {
  return paymentIdFor('BANTU-UMAK-2026', '2026-11', randomUUID());
}

/**
 * Six lines against four sent payments of `batchId`: a full credit (line 1), a short credit
 * (line 2), an unknown payment naming the batch (line 3), a credit above the approved amount
 * (line 4), a credit to another account (line 5) and line 1's credit again (line 6).
 */
export function fileWithFewBadLines(batchId: string, payments: readonly string[], tag: string): string {
  const [full, short, above, otherAccount] = payments;
  return creditsCsv([
    { paymentId: full, reference: `${tag}-1`, batchId },
    { paymentId: short, amount: '597500.00', reference: `${tag}-2`, batchId },
    { paymentId: unknownPaymentId(), reference: `${tag}-3`, batchId },
    { paymentId: above, amount: '600001.00', reference: `${tag}-4`, batchId },
    { paymentId: otherAccount, account: '009900000000777', reference: `${tag}-5`, batchId },
    { paymentId: full, reference: `${tag}-6`, batchId },
  ]);
}
