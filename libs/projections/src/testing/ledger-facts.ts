import { amountOf, formatAmount, type DomainEvent } from '@salur/kernel';

/**
 * Short builders of ledger events for the read models' specs: one programme, Rp 600,000 per
 * payment, instants one minute apart. Only the fields the read models read vary.
 */
export const PROGRAMME = 'p-1';
export const BENEFIT = '600000.00';
const ACCOUNT = { bankCode: '002', accountNumber: '001901000000001', accountHolderName: 'SITI' };
let minute = 0;
const at = () => new Date(Date.UTC(2026, 10, 1) + 60_000 * minute++).toISOString();

export const facts = {
  scheduled: (paymentId: string, beneficiaryId: string, period = '2026-11'): DomainEvent => ({
    type: 'PaymentScheduled',
    data: { paymentId, programmeId: PROGRAMME, period, beneficiaryId, amount: BENEFIT, scheduledBy: 'po', at: at() },
  }),
  batched: (paymentId: string, batchId: string, attempt = 1): DomainEvent => ({
    type: 'PaymentBatched',
    data: { paymentId, batchId, account: ACCOUNT, attempt, at: at() },
  }),
  unbatched: (paymentId: string, batchId: string): DomainEvent => ({
    type: 'PaymentUnbatched',
    data: { paymentId, batchId, reason: 'batch closed', at: at() },
  }),
  sent: (paymentId: string, batchId: string): DomainEvent => ({
    type: 'PaymentSentToBank',
    data: { paymentId, batchId, at: at() },
  }),
  credited: (paymentId: string, batchId: string, creditedAmount = BENEFIT): DomainEvent => ({
    type: 'PaymentCredited',
    data: {
      paymentId,
      batchId,
      approvedAmount: BENEFIT,
      creditedAmount,
      deductedAmount: formatAmount(amountOf(BENEFIT).minus(amountOf(creditedAmount))),
      bankReference: `ref-${paymentId}`,
      valueDate: '2026-11-20',
      at: at(),
    },
  }),
  rejected: (paymentId: string, batchId: string): DomainEvent => ({
    type: 'PaymentRejected',
    data: { paymentId, batchId, reasonCode: 'AC01', at: at() },
  }),
  returned: (paymentId: string, batchId: string): DomainEvent => ({
    type: 'PaymentReturned',
    data: { paymentId, batchId, reasonCode: 'AC04', returnedAmount: BENEFIT, bankReference: 'ret', at: at() },
  }),
  reissued: (paymentId: string, attempt: number): DomainEvent => ({
    type: 'PaymentReissued',
    data: { paymentId, previousAccount: ACCOUNT, account: ACCOUNT, attempt, reissuedBy: 'fo', at: at() },
  }),
  reversed: (paymentId: string): DomainEvent => ({
    type: 'PaymentReversed',
    data: { paymentId, amount: BENEFIT, reason: 'wrong person', requestedBy: 'a', approvedBy: 'b', at: at() },
  }),
  batchCreated: (batchId: string, count: number, period = '2026-11'): DomainEvent => ({
    type: 'BatchCreated',
    data: {
      batchId,
      programmeId: PROGRAMME,
      period,
      makerId: 'maker',
      payments: [],
      count,
      controlSum: (600000 * count).toFixed(2),
      contentHash: `hash-${batchId}`,
      requiredApprovals: 1,
      expiresAt: '2026-12-01T00:00:00.000Z',
      at: at(),
    },
  }),
  batchApproved: (batchId: string, count: number): DomainEvent => ({
    type: 'BatchApproved',
    data: {
      batchId,
      programmeId: PROGRAMME,
      contentHash: `hash-${batchId}`,
      approverIds: ['approver'],
      count,
      controlSum: (600000 * count).toFixed(2),
      at: at(),
    },
  }),
  batchClosed: (type: 'BatchRejected' | 'BatchCancelled', batchId: string, wasApproved: boolean): DomainEvent => ({
    type,
    data: { batchId, reason: 'closed', rejectedBy: 'fo', cancelledBy: 'fo', wasApproved, at: at() },
  }),
  outcomeUnknown: (paymentId: string, batchId: string): DomainEvent => ({
    type: 'PaymentOutcomeUnknown',
    data: { paymentId, batchId, sentAt: at(), timeoutHours: 72, at: at() },
  }),
  outcomeDecided: (paymentId: string, batchId: string, outcome: 'credited' | 'not-credited'): DomainEvent => ({
    type: 'PaymentOutcomeDecided',
    data: {
      paymentId,
      batchId,
      outcome,
      amount: BENEFIT,
      reason: 'bank letter',
      requestedBy: 'fo-1',
      decidedBy: 'fo-2',
      at: at(),
    },
  }),
  batchSettled: (batchId: string, count: number): DomainEvent => ({
    type: 'BatchSettled',
    data: {
      batchId,
      count,
      credited: count,
      rejected: 0,
      returned: 0,
      reversed: 0,
      decidedCredited: 0,
      decidedNotCredited: 0,
      at: at(),
    },
  }),
  batchSubmitted: (batchId: string): DomainEvent => ({
    type: 'BatchSubmitted',
    data: { batchId, fileName: `${batchId}.xml`, sha256: 'a'.repeat(64), submittedBy: 'bank', at: at() },
  }),
  fileGenerated: (batchId: string, format: 'pain001' | 'csv', count: number): DomainEvent => ({
    type: 'BatchFileGenerated',
    data: {
      batchId,
      fileName: `${batchId}.${format === 'csv' ? 'csv' : 'xml'}`,
      format,
      sha256: (format === 'csv' ? 'c' : 'a').repeat(64),
      count,
      controlSum: (600000 * count).toFixed(2),
      chargeBearer: 'DEBT',
      generatedBy: 'bank',
      generatedAt: at(),
    },
  }),
  exception: (paymentId: string | null): DomainEvent => ({
    type: 'BankResultException',
    data: {
      sha256: 'b'.repeat(64),
      line: 3,
      endToEndId: 'e2e',
      paymentId,
      outcome: 'credited',
      reason: 'AMOUNT_DIFFERS',
      detail: 'x',
      amount: BENEFIT,
      bankReference: 'r',
      at: at(),
    },
  }),
};
