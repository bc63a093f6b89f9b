import type { RecordedEvent } from '@salur/event-store';
import { exceptionBatchIdOf, isShortCredit } from '@salur/bank-integration/domain';
import { type Lookup, readModel } from '@salur/projections';
import type { PaymentEvent } from '@salur/payments/domain';
import { bankFileEvent, batchEvent, paymentEvent } from './event-guards';
import { instantOf } from '@salur/projections';
import { BATCH_VIEWS_TABLES, BatchViewPaymentRow, BatchViewRow } from './batch-views.tables';

/** The payment facts that move a batch's unknown-outcome count: marked unknown, then resolved. */
const RESOLVES_UNKNOWN = new Set(['PaymentCredited', 'PaymentRejected', 'PaymentOutcomeDecided']);

/** Payment → the batch of its latest attempt, and whether its outcome there is unknown. */
export const batchViewPaymentsReadModel = readModel<BatchViewPaymentRow>({
  table: BATCH_VIEWS_TABLES.payments,
  rowIdsOf(recorded) {
    const event = paymentEvent(recorded);
    if (event === undefined) return [];
    const tracked =
      event.type === 'PaymentBatched' || event.type === 'PaymentOutcomeUnknown' || RESOLVES_UNKNOWN.has(event.type);
    return tracked ? [event.data.paymentId] : [];
  },
  evolve(row, recorded, id) {
    const event = paymentEvent(recorded);
    if (event?.type === 'PaymentBatched') {
      return row?.batchId === event.data.batchId ? row : { id, batchId: event.data.batchId, outcomeUnknown: 0 };
    }
    if (row === undefined || event === undefined || !('batchId' in event.data) || event.data.batchId !== row.batchId)
      return row;
    if (event.type === 'PaymentOutcomeUnknown') return row.outcomeUnknown === 1 ? row : { ...row, outcomeUnknown: 1 };
    if (RESOLVES_UNKNOWN.has(event.type) && row.outcomeUnknown === 1) return { ...row, outcomeUnknown: 0 };
    return row;
  },
});

type ResultCount = 'sent' | 'credited' | 'rejected' | 'returned' | 'reversed' | 'notCredited';

/** What a payment fact changes in its batch's result counts. */
const RESULTS: Readonly<Record<string, Partial<Record<ResultCount, number>>>> = {
  PaymentSentToBank: { sent: 1 },
  PaymentCredited: { credited: 1 },
  PaymentRejected: { rejected: 1 },
  PaymentReturned: { credited: -1, returned: 1 },
  PaymentReversed: { credited: -1, reversed: 1 },
};

/** The result counts a payment fact moves, if any (an officers' decision counts by its outcome). */
function resultChange(event: PaymentEvent): Partial<Record<ResultCount, number>> | undefined {
  if (event.type === 'PaymentOutcomeDecided')
    return event.data.outcome === 'credited' ? { credited: 1 } : { notCredited: 1 };
  if (event.type === 'PaymentOutcomeUnknown') return {};
  return RESULTS[event.type];
}

export const batchViewsReadModel = readModel<BatchViewRow>({
  table: BATCH_VIEWS_TABLES.batches,
  lookups: [BATCH_VIEWS_TABLES.payments],

  rowIdsOf(recorded, lookup) {
    const batch = batchEvent(recorded);
    if (batch !== undefined) return [batch.data.batchId];
    const batchId = batchOfPaymentFact(recorded, lookup);
    return batchId === undefined ? [] : [batchId];
  },

  evolve(row, recorded, _id, lookup) {
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
        notCredited: 0,
        pending: count,
        outcomeUnknown: 0,
        exceptions: 0,
        fileName: null,
        fileSha256: null,
        fileFormat: null,
        fileGeneratedAt: null,
        files: '[]',
        createdAt: at,
        approvedAt: null,
        submittedAt: null,
        settledAt: null,
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
        case 'BatchSettled':
          return { ...row, status: 'settled', settledAt: batch.data.at, updatedAt };
        default:
          // A batch event this read model does not know (a newer type) never changes the row.
          return row;
      }
    }
    const exception = bankFileEvent(recorded);
    if (exception?.type === 'BankResultException') return { ...row, exceptions: row.exceptions + 1, updatedAt };
    const payment = paymentEvent(recorded);
    const change = payment === undefined ? undefined : resultChange(payment);
    if (payment === undefined || change === undefined) return row;
    const counts: Partial<Record<ResultCount, number>> = {};
    for (const [name, delta] of Object.entries(change) as Array<[ResultCount, number]>)
      counts[name] = row[name] + delta;
    // A short credit is an item of the exception queue too (libs/bank-integration): counted the same way.
    const short = payment.type === 'PaymentCredited' && isShortCredit(payment.data) ? 1 : 0;
    const unknown = unknownMoved(payment.data.paymentId, lookup);
    if (Object.keys(counts).length === 0 && short === 0 && unknown === 0) return row;
    return withPending({
      ...row,
      ...counts,
      exceptions: row.exceptions + short,
      outcomeUnknown: row.outcomeUnknown + unknown,
      updatedAt,
    });
  },
});

/** +1 when the payment's outcome just became unknown, −1 when it was just resolved, else 0. */
function unknownMoved(paymentId: string, lookup: Lookup): number {
  const before = lookup.before<BatchViewPaymentRow>(BATCH_VIEWS_TABLES.payments, paymentId)?.outcomeUnknown ?? 0;
  const after = lookup.row<BatchViewPaymentRow>(BATCH_VIEWS_TABLES.payments, paymentId)?.outcomeUnknown ?? 0;
  return after - before;
}

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
  if (payment === undefined || resultChange(payment) === undefined) return undefined;
  if ('batchId' in payment.data) return payment.data.batchId;
  return lookup.row<BatchViewPaymentRow>(BATCH_VIEWS_TABLES.payments, payment.data.paymentId)?.batchId;
}

function withPending(row: BatchViewRow): BatchViewRow {
  const answered = row.credited + row.rejected + row.returned + row.reversed + row.notCredited;
  return { ...row, pending: row.count - answered };
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
