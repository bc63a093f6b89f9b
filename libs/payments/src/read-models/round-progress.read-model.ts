import type { RecordedEvent } from '@salur/event-store';
import { type Lookup, readModel } from '@salur/projections';
import { batchEvent, paymentEvent } from './event-guards';
import { instantOf } from '@salur/projections';
import {
  RoundBatchRow,
  roundIdOf,
  RoundPaymentRow,
  ROUND_PROGRESS_TABLES,
  ROUND_STAGES,
  RoundRow,
  RoundStage,
  STAGE_OF_STATUS,
} from './round-progress.tables';

const { payments: PAYMENTS, batches: BATCHES } = ROUND_PROGRESS_TABLES;

/** One row per payment: its round, status and batch. */
export const roundPaymentsReadModel = readModel<RoundPaymentRow>({
  table: PAYMENTS,
  rowIdsOf(recorded) {
    const event = paymentEvent(recorded);
    return event === undefined ? [] : [event.data.paymentId];
  },
  evolve(row, recorded) {
    const event = paymentEvent(recorded);
    if (event === undefined) return row;
    if (event.type === 'PaymentScheduled') {
      const { paymentId, programmeId, period } = event.data;
      return row ?? { id: paymentId, programmeId, period, status: 'scheduled', batchId: null, attempt: 1 };
    }
    if (row === undefined) return row;
    switch (event.type) {
      case 'PaymentBatched':
        return { ...row, status: 'batched', batchId: event.data.batchId, attempt: event.data.attempt };
      case 'PaymentUnbatched':
        // Back in the pool: as a first issue or as a reissue.
        return { ...row, status: row.attempt > 1 ? 'reissued' : 'scheduled', batchId: null };
      case 'PaymentSentToBank':
        return { ...row, status: 'sent', batchId: event.data.batchId };
      case 'PaymentCredited':
        return { ...row, status: 'credited', batchId: event.data.batchId };
      case 'PaymentRejected':
        return { ...row, status: 'rejected', batchId: event.data.batchId };
      case 'PaymentReturned':
        return { ...row, status: 'returned', batchId: event.data.batchId };
      case 'PaymentOutcomeUnknown':
        return { ...row, status: 'outcome-unknown', batchId: event.data.batchId };
      case 'PaymentOutcomeDecided': {
        const status = event.data.outcome === 'credited' ? 'credited' : 'not-credited';
        return { ...row, status, batchId: event.data.batchId };
      }
      case 'PaymentReissued':
        return { ...row, status: 'reissued', batchId: null, attempt: event.data.attempt };
      case 'PaymentReversed':
        return { ...row, status: 'reversed' };
      default:
        return row;
    }
  },
});

/** The batch statuses under which a batched payment counts as approved. */
const APPROVED_BATCH = new Set(['approved', 'submitted', 'settled']);

/** One row per batch: its round, whether it is approved, and how many payments wait in it unsent. */
export const roundBatchesReadModel = readModel<RoundBatchRow>({
  table: BATCHES,
  lookups: [PAYMENTS],
  rowIdsOf(recorded, lookup) {
    const batch = batchEvent(recorded);
    if (batch !== undefined) return [batch.data.batchId];
    const payment = paymentEvent(recorded);
    if (payment === undefined) return [];
    const ids = [waitingIn(lookup.before<RoundPaymentRow>(PAYMENTS, payment.data.paymentId))];
    ids.push(waitingIn(lookup.row<RoundPaymentRow>(PAYMENTS, payment.data.paymentId)));
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  },
  evolve(row, recorded, id, lookup) {
    const current: RoundBatchRow = row ?? { id, programmeId: null, period: null, status: null, waiting: 0 };
    const batch = batchEvent(recorded);
    if (batch !== undefined) {
      switch (batch.type) {
        case 'BatchCreated':
          return { ...current, programmeId: batch.data.programmeId, period: batch.data.period, status: 'pending' };
        case 'BatchApproved':
          return { ...current, status: 'approved' };
        case 'BatchRejected':
          return { ...current, status: 'rejected' };
        case 'BatchCancelled':
          return { ...current, status: 'cancelled' };
        case 'BatchExpired':
          return { ...current, status: 'expired' };
        case 'BatchSubmitted':
          return { ...current, status: 'submitted' };
        case 'BatchSettled':
          return { ...current, status: 'settled' };
        default:
          return row;
      }
    }
    const payment = paymentEvent(recorded);
    if (payment === undefined) return row;
    const before = waitingIn(lookup.before<RoundPaymentRow>(PAYMENTS, payment.data.paymentId)) === id ? 1 : 0;
    const after = waitingIn(lookup.row<RoundPaymentRow>(PAYMENTS, payment.data.paymentId)) === id ? 1 : 0;
    return before === after ? row : { ...current, waiting: current.waiting + after - before };
  },
});

/**
 * One row per programme period, counting its payments by stage. A payment event moves its
 * payment from the stage it was in to the one it is in now; a batch approved (or closed after
 * approval) moves the payments waiting in it between "batched" and "approved" at once.
 */
export const roundsReadModel = readModel<RoundRow>({
  table: ROUND_PROGRESS_TABLES.rounds,
  lookups: [PAYMENTS, BATCHES],
  rowIdsOf(recorded, lookup) {
    const payment = paymentEvent(recorded);
    if (payment !== undefined) {
      const row =
        lookup.row<RoundPaymentRow>(PAYMENTS, payment.data.paymentId) ??
        lookup.before<RoundPaymentRow>(PAYMENTS, payment.data.paymentId);
      return row === undefined ? [] : [roundIdOf(row.programmeId, row.period)];
    }
    const batch = batchEvent(recorded);
    if (batch === undefined) return [];
    const row = lookup.row<RoundBatchRow>(BATCHES, batch.data.batchId);
    return row?.programmeId == null || row.period == null ? [] : [roundIdOf(row.programmeId, row.period)];
  },
  evolve(row, recorded, id, lookup) {
    const payment = paymentEvent(recorded);
    if (payment !== undefined) return movePayment(row, recorded, id, payment.data.paymentId, lookup);
    const batch = batchEvent(recorded);
    if (batch === undefined || row === undefined) return row;
    const wasApproved = APPROVED_BATCH.has(lookup.before<RoundBatchRow>(BATCHES, batch.data.batchId)?.status ?? '');
    const current = lookup.row<RoundBatchRow>(BATCHES, batch.data.batchId);
    const isApproved = APPROVED_BATCH.has(current?.status ?? '');
    if (wasApproved === isApproved || current === undefined || current.waiting === 0) return row;
    const [from, to]: [RoundStage, RoundStage] = isApproved ? ['batched', 'approved'] : ['approved', 'batched'];
    return {
      ...row,
      [from]: row[from] - current.waiting,
      [to]: row[to] + current.waiting,
      updatedAt: instantOf(recorded),
    };
  },
});

function movePayment(
  row: RoundRow | undefined,
  recorded: RecordedEvent,
  id: string,
  paymentId: string,
  lookup: Lookup,
): RoundRow | undefined {
  const before = lookup.before<RoundPaymentRow>(PAYMENTS, paymentId);
  const after = lookup.row<RoundPaymentRow>(PAYMENTS, paymentId);
  if (before === after || after === undefined) return row;
  const from = before === undefined ? undefined : stageOf(before, lookup);
  const to = stageOf(after, lookup);
  if (from === to) return row;
  const current: RoundRow = row ?? emptyRound(id, after);
  const moved: Record<string, number> = { [to]: current[to] + 1 };
  if (from !== undefined) moved[from] = current[from] - 1;
  return {
    ...current,
    ...moved,
    payments: current.payments + (before === undefined ? 1 : 0),
    updatedAt: instantOf(recorded),
  };
}

function stageOf(payment: RoundPaymentRow, lookup: Lookup): RoundStage {
  if (payment.status !== 'batched' || payment.batchId === null) return STAGE_OF_STATUS[payment.status];
  const batch = lookup.row<RoundBatchRow>(BATCHES, payment.batchId);
  return APPROVED_BATCH.has(batch?.status ?? '') ? 'approved' : 'batched';
}

function waitingIn(payment: RoundPaymentRow | undefined): string | undefined {
  return payment?.status === 'batched' && payment.batchId !== null ? payment.batchId : undefined;
}

function emptyRound(id: string, payment: RoundPaymentRow): RoundRow {
  const stages = Object.fromEntries(ROUND_STAGES.map((stage) => [stage, 0])) as Record<RoundStage, number>;
  return { id, programmeId: payment.programmeId, period: payment.period, ...stages, payments: 0, updatedAt: '' };
}
