import { readModel } from '@salur/projections';
import { paymentEvent } from './event-guards';
import { moveFigures, NO_FIGURES } from './balance-figures';
import { balanceIdOf, BALANCES_TABLES, BalancePaymentRow, BalanceRow } from './balances.tables';

/** One row per payment: where it stands, in which batch, and the amounts the bank reported. */
export const balancePaymentsReadModel = readModel<BalancePaymentRow>({
  table: BALANCES_TABLES.payments,

  rowIdsOf(recorded) {
    const event = paymentEvent(recorded);
    return event === undefined ? [] : [event.data.paymentId];
  },

  evolve(row, recorded) {
    const event = paymentEvent(recorded);
    if (event === undefined) return row;
    if (event.type === 'PaymentScheduled') {
      const { paymentId, programmeId, period, beneficiaryId, amount, at } = event.data;
      if (row !== undefined) return row;
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
        reversedAmount: null,
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
      case 'PaymentOutcomeUnknown':
        return { ...row, status: 'outcome-unknown', batchId: event.data.batchId, updatedAt };
      case 'PaymentOutcomeDecided': {
        const { batchId, outcome, amount } = event.data;
        // A decided credit is of the approved amount, in full: nothing deducted.
        return outcome === 'credited'
          ? { ...row, status: 'credited', batchId, creditedAmount: amount, deductedAmount: '0.00', updatedAt }
          : { ...row, status: 'not-credited', batchId, updatedAt };
      }
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
        return { ...row, status: 'reversed', reversedAmount: event.data.amount, updatedAt };
      case 'PaymentDeductionFlagged':
      case 'PaymentReversalRequested':
      case 'PaymentOutcomeDecisionRequested':
      default:
        // An event this fold does not know (a newer type) never deletes or changes the row.
        return row;
    }
  },
});

/**
 * One row per beneficiary and programme. A payment event names only the payment: the row is found
 * through the payment's row above, and moves by what the payment added before the event and adds
 * after it (figuresOf), so the figures are always the sum over the payments' current states.
 */
export const balancesReadModel = readModel<BalanceRow>({
  table: BALANCES_TABLES.beneficiaries,
  lookups: [BALANCES_TABLES.payments],

  rowIdsOf(recorded, lookup) {
    const event = paymentEvent(recorded);
    if (event === undefined) return [];
    const payment =
      lookup.row<BalancePaymentRow>(BALANCES_TABLES.payments, event.data.paymentId) ??
      lookup.before<BalancePaymentRow>(BALANCES_TABLES.payments, event.data.paymentId);
    return payment === undefined ? [] : [balanceIdOf(payment.programmeId, payment.beneficiaryId)];
  },

  evolve(row, recorded, id, lookup) {
    const event = paymentEvent(recorded);
    if (event === undefined) return row;
    const before = lookup.before<BalancePaymentRow>(BALANCES_TABLES.payments, event.data.paymentId);
    const after = lookup.row<BalancePaymentRow>(BALANCES_TABLES.payments, event.data.paymentId);
    if (before === after || after === undefined) return row;
    const current: BalanceRow = row ?? {
      id,
      programmeId: after.programmeId,
      beneficiaryId: after.beneficiaryId,
      payments: 0,
      ...NO_FIGURES,
      updatedAt: after.updatedAt,
    };
    return {
      ...moveFigures(current, before, after),
      payments: current.payments + (before === undefined ? 1 : 0),
      updatedAt: after.updatedAt,
    };
  },
});
