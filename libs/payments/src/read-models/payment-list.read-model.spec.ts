import type { PaymentEvent } from '@salur/payments';
import { rowsAfter } from '@salur/projections/testing';
import { balancesProjection } from './balances.projection';
import { PAYMENT_VIEW_COLUMNS } from './payment.queries';

const paymentId = 'pay-1';
const first = { bankCode: '002', accountNumber: '0011223344', accountHolderName: 'Siti' };
const second = { bankCode: '009', accountNumber: '0099887766', accountHolderName: 'Siti' };
const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`;

const scheduled: PaymentEvent = {
  type: 'PaymentScheduled',
  data: {
    paymentId,
    programmeId: 'p-1',
    period: '2026-11',
    beneficiaryId: 'ben-1',
    amount: '600000.00',
    scheduledBy: 'w',
    at: at(1),
  },
};
const batched = (batchId: string, attempt: number, day: number): PaymentEvent => ({
  type: 'PaymentBatched',
  data: { paymentId, batchId, account: attempt === 1 ? first : second, attempt, at: at(day) },
});
const sent = (batchId: string, day: number): PaymentEvent => ({
  type: 'PaymentSentToBank',
  data: { paymentId, batchId, at: at(day) },
});

/** The payment list's view of the balances' payment rows (GET /payments). */
const payments = (events: PaymentEvent[]) =>
  rowsAfter(balancesProjection, 'balancesPayments', events).map((row) =>
    Object.fromEntries(PAYMENT_VIEW_COLUMNS.map((column) => [column, row[column]])),
  );

describe("payment list (the balances' payment rows)", () => {
  it('follows a payment from schedule through rejection and reissue to a short credit', () => {
    const history: PaymentEvent[] = [
      scheduled,
      batched('b-1', 1, 2),
      sent('b-1', 3),
      { type: 'PaymentRejected', data: { paymentId, batchId: 'b-1', reasonCode: 'AC04', at: at(4) } },
      {
        type: 'PaymentReissued',
        data: { paymentId, previousAccount: first, account: second, attempt: 2, reissuedBy: 'o', at: at(5) },
      },
      batched('b-2', 2, 6),
      sent('b-2', 7),
      {
        type: 'PaymentCredited',
        data: {
          paymentId,
          batchId: 'b-2',
          approvedAmount: '600000.00',
          creditedAmount: '597500.00',
          deductedAmount: '2500.00',
          bankReference: 'r',
          valueDate: '2026-11-08',
          at: at(8),
        },
      },
    ];
    const statuses = history.map((_, index) => payments(history.slice(0, index + 1))[0].status);
    expect(statuses).toEqual(['scheduled', 'batched', 'sent', 'rejected', 'reissued', 'batched', 'sent', 'credited']);
    expect(payments(history)).toEqual([
      {
        id: paymentId,
        programmeId: 'p-1',
        period: '2026-11',
        beneficiaryId: 'ben-1',
        amount: '600000.00',
        status: 'credited',
        batchId: 'b-2',
        attempt: 2,
        creditedAmount: '597500.00',
        deductedAmount: '2500.00',
        scheduledAt: at(1),
        updatedAt: at(8),
      },
    ]);
  });

  it('returns an unbatched payment to the pool, as a reissue when it is one', () => {
    const unbatched = (day: number): PaymentEvent => ({
      type: 'PaymentUnbatched',
      data: { paymentId, batchId: 'b-1', reason: 'batch rejected', at: at(day) },
    });
    expect(payments([scheduled, batched('b-1', 1, 2), unbatched(3)])[0]).toMatchObject({
      status: 'scheduled',
      batchId: null,
      attempt: 1,
    });
    expect(payments([scheduled, batched('b-1', 2, 2), unbatched(3)])[0]).toMatchObject({
      status: 'reissued',
      batchId: null,
      attempt: 2,
    });
  });

  it('marks returned and reversed payments, and ignores facts it does not show', () => {
    const credited: PaymentEvent = {
      type: 'PaymentCredited',
      data: {
        paymentId,
        batchId: 'b-1',
        approvedAmount: '600000.00',
        creditedAmount: '600000.00',
        deductedAmount: '0.00',
        bankReference: 'r',
        valueDate: '2026-11-04',
        at: at(4),
      },
    };
    const returned: PaymentEvent = {
      type: 'PaymentReturned',
      data: {
        paymentId,
        batchId: 'b-1',
        reasonCode: 'AC04',
        returnedAmount: '600000.00',
        bankReference: 'r2',
        at: at(9),
      },
    };
    const reversalRequested: PaymentEvent = {
      type: 'PaymentReversalRequested',
      data: { paymentId, reason: 'duplicate', requestedBy: 'o', at: at(10) },
    };
    const reversed: PaymentEvent = {
      type: 'PaymentReversed',
      data: { paymentId, amount: '600000.00', reason: 'duplicate', requestedBy: 'o', approvedBy: 'o2', at: at(11) },
    };
    const base = [scheduled, batched('b-1', 1, 2), sent('b-1', 3), credited];
    expect(payments([...base, returned])[0]).toMatchObject({ status: 'returned', batchId: 'b-1' });
    expect(payments([...base, reversalRequested])[0]).toMatchObject({ status: 'credited', updatedAt: at(4) });
    expect(payments([...base, reversalRequested, reversed])[0]).toMatchObject({
      status: 'reversed',
      updatedAt: at(11),
    });
  });
});
