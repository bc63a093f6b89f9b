import { readModel } from '../engine/projection';
import { paymentEventOf } from './directory-events';
import { DIRECTORY_TABLES, PaymentRow } from './directory.tables';

/** One row per payment: where it stands, in which batch, and what the bank credited. */
export const paymentsReadModel = readModel<PaymentRow>({
  table: DIRECTORY_TABLES.payments,

  rowIdsOf(recorded) {
    const event = paymentEventOf(recorded);
    return event === undefined ? [] : [event.data.paymentId];
  },

  evolve(row, recorded) {
    const event = paymentEventOf(recorded);
    if (event === undefined) return row;
    if (event.type === 'PaymentScheduled') {
      const { paymentId, programmeId, period, beneficiaryId, amount, at } = event.data;
      return {
        id: paymentId,
        programmeId,
        period,
        beneficiaryId,
        amount,
        status: 'scheduled',
        batchId: null,
        attempt: 1,
        creditedAmount: null,
        deductedAmount: null,
        scheduledAt: at,
        updatedAt: at,
      };
    }
    if (row === undefined) return row;
    const updatedAt = event.data.at;
    switch (event.type) {
      case 'PaymentBatched':
        return { ...row, status: 'batched', batchId: event.data.batchId, attempt: event.data.attempt, updatedAt };
      case 'PaymentUnbatched':
        // Back in the pool: as a first issue or as a reissue, as the payment's own state says.
        return { ...row, status: row.attempt > 1 ? 'reissued' : 'scheduled', batchId: null, updatedAt };
      case 'PaymentSentToBank':
        return { ...row, status: 'sent', batchId: event.data.batchId, updatedAt };
      case 'PaymentCredited': {
        const { batchId, creditedAmount, deductedAmount } = event.data;
        return { ...row, status: 'credited', batchId, creditedAmount, deductedAmount, updatedAt };
      }
      case 'PaymentRejected':
        return { ...row, status: 'rejected', batchId: event.data.batchId, updatedAt };
      case 'PaymentReturned':
        return { ...row, status: 'returned', batchId: event.data.batchId, updatedAt };
      case 'PaymentReissued':
        // A new attempt: no batch yet, and nothing credited for it.
        return {
          ...row,
          status: 'reissued',
          batchId: null,
          attempt: event.data.attempt,
          creditedAmount: null,
          deductedAmount: null,
          updatedAt,
        };
      case 'PaymentReversed':
        return { ...row, status: 'reversed', updatedAt };
    }
  },
});
