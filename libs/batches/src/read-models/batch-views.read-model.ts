import type { RecordedEvent } from '@salur/event-store';
import { exceptionBatchIdOf, isShortCredit } from '@salur/bank-integration/domain';
import { type Lookup, readModel } from '@salur/projections';
import { bankFileEvent, batchEvent, paymentEvent } from './event-guards';
import { instantOf } from '@salur/projections';
import { BATCH_VIEWS_TABLES, BatchViewPaymentRow, BatchViewRow } from './batch-views.tables';

/** Payment → the batch of its latest attempt. */
export const batchViewPaymentsReadModel = readModel<BatchViewPaymentRow>({
  table: BATCH_VIEWS_TABLES.payments,
  rowIdsOf(recorded) {
    const event = paymentEvent(recorded);
    return event?.type === 'PaymentBatched' ? [event.data.paymentId] : [];
  },
  evolve(row, recorded, id) {
    const event = paymentEvent(recorded);
    if (event?.type !== 'PaymentBatched') return row;
    return row?.batchId === event.data.batchId ? row : { id, batchId: event.data.batchId };
  },
});

type ResultCount = 'sent' | 'credited' | 'rejected' | 'returned' | 'reversed';

/** What a payment fact changes in its batch's result counts. */
const RESULTS: Readonly<Record<string, Partial<Record<ResultCount, number>>>> = {
  PaymentSentToBank: { sent: 1 },
  PaymentCredited: { credited: 1 },
  PaymentRejected: { rejected: 1 },
  PaymentReturned: { credited: -1, returned: 1 },
  PaymentReversed: { credited: -1, reversed: 1 },
};

export const batchViewsReadModel = readModel<BatchViewRow>({
  table: BATCH_VIEWS_TABLES.batches,
  lookups: [BATCH_VIEWS_TABLES.payments],

  rowIdsOf(recorded, lookup) {
    const batch = batchEvent(recorded);
    if (batch !== undefined) return [batch.data.batchId];
    const batchId = batchOfPaymentFact(recorded, lookup);
    return batchId === undefined ? [] : [batchId];
  },

  evolve(row, recorded) {
    const batch = batchEvent(recorded);
    if (batch?.type === 'BatchCreated') {
      const {
        batchId,
        programmeId,
        period,
        makerId,
        count,
        controlSum,
        contentHash,
        requiredApprovals,
        expiresAt,
        at,
      } = batch.data;
      if (row !== undefined) return row;
      return withPending({
        id: batchId,
        programmeId,
        period,
        status: 'pending',
        makerId,
        approverIds: '[]',
        requiredApprovals,
        count,
        controlSum,
        contentHash,
        sent: 0,
        credited: 0,
        rejected: 0,
        returned: 0,
        reversed: 0,
        pending: count,
        exceptions: 0,
        fileName: null,
        fileSha256: null,
        fileFormat: null,
        fileGeneratedAt: null,
        files: '[]',
        createdAt: at,
        approvedAt: null,
        submittedAt: null,
        closedAt: null,
        expiresAt,
        updatedAt: at,
      });
    }
    if (row === undefined) return row;
    const updatedAt = instantOf(recorded);
    if (batch !== undefined) {
      switch (batch.type) {
        case 'BatchChanged': {
          const { count, controlSum, contentHash, requiredApprovals } = batch.data;
          return withPending({
            ...row,
            count,
            controlSum,
            contentHash,
            requiredApprovals,
            approverIds: '[]',
            updatedAt,
          });
        }
        case 'BatchApprovalRecorded': {
          const approvers = JSON.parse(row.approverIds) as string[];
          if (approvers.includes(batch.data.approverId)) return row;
          return { ...row, approverIds: JSON.stringify([...approvers, batch.data.approverId]), updatedAt };
        }
        case 'BatchApproved': {
          const { approverIds, count, controlSum } = batch.data;
          const approved = { ...row, status: 'approved' as const, approverIds: JSON.stringify(approverIds), count };
          return withPending({ ...approved, controlSum, approvedAt: batch.data.at, updatedAt });
        }
        case 'BatchRejected':
          return { ...row, status: 'rejected', closedAt: batch.data.at, updatedAt };
        case 'BatchCancelled':
          return { ...row, status: 'cancelled', closedAt: batch.data.at, updatedAt };
        case 'BatchExpired':
          return { ...row, status: 'expired', closedAt: batch.data.at, updatedAt };
        case 'BatchFileGenerated':
          return withFile(row, batch.data, updatedAt);
        case 'BatchSubmitted':
          return { ...row, status: 'submitted', submittedAt: batch.data.at, updatedAt };
        default:
          // A batch event this read model does not know (a newer type) never changes the row.
          return row;
      }
    }
    const exception = bankFileEvent(recorded);
    if (exception?.type === 'BankResultException') return { ...row, exceptions: row.exceptions + 1, updatedAt };
    const change = RESULTS[recorded.type];
    if (change === undefined) return row;
    const counts: Partial<Record<ResultCount, number>> = {};
    for (const [name, delta] of Object.entries(change) as Array<[ResultCount, number]>)
      counts[name] = row[name] + delta;
    // A short credit is an item of the exception queue too (libs/bank-integration): counted the same way.
    const payment = paymentEvent(recorded);
    const short = payment?.type === 'PaymentCredited' && isShortCredit(payment.data) ? 1 : 0;
    return withPending({ ...row, ...counts, exceptions: row.exceptions + short, updatedAt });
  },
});

/**
 * The batch a payment fact or a reconciliation exception is about, if any. An exception counts
 * against the batch its line named or its payment was in when reconciled (the same rule as the
 * exception queue's); only exceptions recorded before they named it fall back on the batch of the
 * payment's latest attempt (which missed lines of unknown payments that named the batch, and put
 * the exceptions of a reissued payment's first batch on its next).
 */
function batchOfPaymentFact(recorded: RecordedEvent, lookup: Lookup): string | undefined {
  const exception = bankFileEvent(recorded);
  if (exception?.type === 'BankResultException') {
    const batchOfPayment = (paymentId: string) =>
      lookup.row<BatchViewPaymentRow>(BATCH_VIEWS_TABLES.payments, paymentId)?.batchId;
    return exceptionBatchIdOf(exception.data, batchOfPayment) ?? undefined;
  }
  const payment = paymentEvent(recorded);
  if (payment === undefined || RESULTS[payment.type] === undefined) return undefined;
  if ('batchId' in payment.data) return payment.data.batchId;
  return lookup.row<BatchViewPaymentRow>(BATCH_VIEWS_TABLES.payments, payment.data.paymentId)?.batchId;
}

function withPending(row: BatchViewRow): BatchViewRow {
  return { ...row, pending: row.count - row.credited - row.rejected - row.returned - row.reversed };
}

interface GeneratedFile {
  readonly format: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly count: number;
  readonly controlSum: string;
  readonly generatedAt: string;
}

function withFile(row: BatchViewRow, file: GeneratedFile, updatedAt: string): BatchViewRow {
  const { format, fileName, sha256, count, controlSum, generatedAt } = file;
  const files = (JSON.parse(row.files) as GeneratedFile[]).filter((earlier) => earlier.format !== format);
  files.push({ format, fileName, sha256, count, controlSum, generatedAt });
  // The pain.001 is the file the bank is instructed with: it names the batch's file.
  const main = files.find((candidate) => candidate.format === 'pain001') ?? file;
  return {
    ...row,
    fileName: main.fileName,
    fileSha256: main.sha256,
    fileFormat: main.format,
    fileGeneratedAt: main.generatedAt,
    files: JSON.stringify(files),
    updatedAt,
  };
}
