import type { PaymentState } from '@salur/payments/domain';
import { isPaymentAtRest } from './open-payments';

const facts = {
  paymentId: 'p',
  programmeId: 'P-2026',
  period: '2026-01',
  beneficiaryId: 'b',
  amount: '1.00',
  attempt: 1,
};
const inBatch = { ...facts, batchId: 'batch-1' };

describe('isPaymentAtRest: what no longer needs an exited beneficiary’s key', () => {
  it.each<[string, PaymentState, boolean]>([
    ['in the pool (batches take active beneficiaries only)', { ...facts, status: 'scheduled' }, true],
    ['reissued, in the pool', { ...facts, status: 'reissued' }, true],
    ['batched', { ...inBatch, status: 'batched' }, false],
    ['sent', { ...inBatch, status: 'sent', sentAt: '2026-01-02T00:00:00.000Z' }, false],
    ['outcome unknown', { ...inBatch, status: 'outcome-unknown', sentAt: '2026-01-02T00:00:00.000Z' }, false],
    ['credited', { ...inBatch, status: 'credited', creditedAmount: '1.00' }, true],
    [
      'credited, a reversal awaiting its second officer',
      { ...inBatch, status: 'credited', creditedAmount: '1.00', reversalRequest: { requestedBy: 'f', reason: 'r' } },
      false,
    ],
    ['rejected (a reissue needs an active beneficiary)', { ...inBatch, status: 'rejected', reasonCode: 'AC04' }, true],
    ['returned', { ...inBatch, status: 'returned', reasonCode: 'AC04' }, true],
    ['not credited', { ...inBatch, status: 'not-credited', decidedBy: 'f' }, true],
    ['reversed', { ...inBatch, status: 'reversed' }, true],
  ])('%s: %p', (_, state, atRest) => {
    expect(isPaymentAtRest(state)).toBe(atRest);
  });
});
