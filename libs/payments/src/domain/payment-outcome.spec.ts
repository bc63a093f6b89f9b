import type { PaymentEvent } from './payment.events';
import { isFinalOutcome, outcomeInBatchFold } from './payment-outcome';

const at = '2026-11-26T08:00:00.000Z';
const paymentId = 'p1';
const account = { bankCode: '002', accountNumber: '001', accountHolderName: 'SITI' };

const outcomeIn = (batchId: string, events: readonly PaymentEvent[]) => {
  const fold = outcomeInBatchFold(batchId);
  return events.reduce(fold.evolve, fold.initialState).outcome;
};

const sent = (batchId: string): PaymentEvent => ({ type: 'PaymentSentToBank', data: { paymentId, batchId, at } });
const credited = (batchId: string): PaymentEvent => ({
  type: 'PaymentCredited',
  data: {
    paymentId,
    batchId,
    approvedAmount: '1.00',
    creditedAmount: '1.00',
    deductedAmount: '0.00',
    bankReference: 'R',
    valueDate: '2026-11-27',
    at,
  },
});
const rejected = (batchId: string): PaymentEvent => ({
  type: 'PaymentRejected',
  data: { paymentId, batchId, reasonCode: 'AM04', at },
});
const reissued: PaymentEvent = {
  type: 'PaymentReissued',
  data: { paymentId, previousAccount: account, account, attempt: 2, reissuedBy: 'fo', at },
};
const reversed: PaymentEvent = {
  type: 'PaymentReversed',
  data: { paymentId, amount: '1.00', reason: 'deceased', requestedBy: 'a', approvedBy: 'b', at },
};

describe("a payment's outcome in one batch", () => {
  it('is not-sent, then sent, then what the bank said', () => {
    expect(outcomeIn('b1', [])).toBe('not-sent');
    expect(outcomeIn('b1', [sent('b1')])).toBe('sent');
    expect(outcomeIn('b1', [sent('b1'), credited('b1')])).toBe('credited');
  });
  it('stays rejected in the first batch after a reissue credited in the second', () => {
    const history = [sent('b1'), rejected('b1'), reissued, sent('b2'), credited('b2')];
    expect(outcomeIn('b1', history)).toBe('rejected');
    expect(outcomeIn('b2', history)).toBe('credited');
  });
  it('becomes reversed in the batch that credited it', () =>
    expect(outcomeIn('b1', [sent('b1'), credited('b1'), reversed])).toBe('reversed'));
  it('knows which outcomes are final', () => {
    expect(isFinalOutcome('decided-not-credited')).toBe(true);
    expect(isFinalOutcome('outcome-unknown')).toBe(false);
    expect(isFinalOutcome(undefined)).toBe(false);
  });
});
