import type { PaymentEvent } from '@salur/payments/domain';
import { BankOutcomeWatch } from './bank-outcome-watch';
import type { BatchEvent } from './batch.events';

const at = '2026-11-26T08:00:00.000Z';
const hours = (count: number) => new Date(Date.parse(at) + count * 3_600_000).toISOString();
const HOUR_MS = 3_600_000;

const created = (batchId: string, paymentIds: string[], expiresAt = hours(72)): BatchEvent => ({
  type: 'BatchCreated',
  data: {
    batchId,
    programmeId: 'P',
    period: '2026-11',
    makerId: 'maker',
    payments: paymentIds.map((paymentId) => ({ paymentId, amount: '1.00' })),
    count: paymentIds.length,
    controlSum: `${paymentIds.length}.00`,
    contentHash: 'c'.repeat(64),
    requiredApprovals: 1,
    expiresAt,
    at,
  },
});
const approved = (batchId: string): BatchEvent => ({
  type: 'BatchApproved',
  data: {
    batchId,
    programmeId: 'P',
    contentHash: 'c'.repeat(64),
    approverIds: ['a'],
    count: 2,
    controlSum: '2.00',
    at,
  },
});
const submitted = (batchId: string): BatchEvent => ({
  type: 'BatchSubmitted',
  data: { batchId, fileName: 'f.xml', sha256: 'a'.repeat(64), submittedBy: 'h2h', at },
});
const sent = (paymentId: string, batchId: string, sentAt = at): PaymentEvent => ({
  type: 'PaymentSentToBank',
  data: { paymentId, batchId, at: sentAt },
});
const rejected = (paymentId: string, batchId: string): PaymentEvent => ({
  type: 'PaymentRejected',
  data: { paymentId, batchId, reasonCode: 'AM04', at },
});
const unknown = (paymentId: string, batchId: string): PaymentEvent => ({
  type: 'PaymentOutcomeUnknown',
  data: { paymentId, batchId, sentAt: at, timeoutHours: 72, at: hours(72) },
});
const decided = (paymentId: string, batchId: string): PaymentEvent => ({
  type: 'PaymentOutcomeDecided',
  data: {
    paymentId,
    batchId,
    outcome: 'credited',
    amount: '1.00',
    reason: 'bank letter',
    requestedBy: 'fo-1',
    decidedBy: 'fo-2',
    at,
  },
});

function watching(events: ReadonlyArray<BatchEvent | PaymentEvent>): BankOutcomeWatch {
  const watch = new BankOutcomeWatch();
  for (const event of events) watch.observe(event);
  return watch;
}

describe('what the scheduled pass looks for', () => {
  const inFlight = [
    created('b1', ['p1', 'p2']),
    approved('b1'),
    submitted('b1'),
    sent('p1', 'b1'),
    sent('p2', 'b1', hours(1)),
  ];

  it('finds payments unanswered past the timeout, oldest first', () => {
    expect(
      watching(inFlight)
        .overdue(hours(72), 72 * HOUR_MS, 10)
        .map((due) => due.paymentId),
    ).toEqual(['p1']);
    expect(
      watching(inFlight)
        .overdue(hours(73), 72 * HOUR_MS, 10)
        .map((due) => due.paymentId),
    ).toEqual(['p1', 'p2']);
    expect(watching(inFlight).overdue(hours(73), 72 * HOUR_MS, 1)).toHaveLength(1);
  });

  it('forgets a payment once answered or marked unknown', () => {
    const watch = watching([...inFlight, rejected('p1', 'b1'), unknown('p2', 'b1')]);
    expect(watch.overdue(hours(100), 72 * HOUR_MS, 10)).toEqual([]);
  });

  it('settles a submitted batch once every line has a final outcome, an officers’ decision included', () => {
    expect(watching([...inFlight, rejected('p1', 'b1'), unknown('p2', 'b1')]).settleable(10)).toEqual([]);
    expect(
      watching([...inFlight, rejected('p1', 'b1'), unknown('p2', 'b1'), decided('p2', 'b1')]).settleable(10),
    ).toEqual(['b1']);
  });

  it('never settles a batch twice, nor one not submitted', () => {
    const answered = [...inFlight, rejected('p1', 'b1'), decided('p2', 'b1')];
    const settledEvent: BatchEvent = {
      type: 'BatchSettled',
      data: {
        batchId: 'b1',
        count: 2,
        credited: 0,
        rejected: 1,
        returned: 0,
        reversed: 0,
        decidedCredited: 1,
        decidedNotCredited: 0,
        at,
      },
    };
    expect(watching([...answered, settledEvent]).settleable(10)).toEqual([]);
    expect(watching([created('b2', ['p3'])]).settleable(10)).toEqual([]);
  });

  it('expires pending batches past their time-to-live, not approved ones', () => {
    const watch = watching([
      created('b1', ['p1']),
      created('b2', ['p2']),
      approved('b2'),
      created('b3', ['p3'], hours(80)),
    ]);
    expect(watch.expired(hours(71), 10)).toEqual([]);
    expect(watch.expired(hours(72), 10)).toEqual(['b1']);
    expect(watch.expired(hours(80), 10)).toEqual(['b1', 'b3']);
  });

  it('forgets a batch once closed', () => {
    const expired: BatchEvent = { type: 'BatchExpired', data: { batchId: 'b1', at: hours(72) } };
    expect(watching([created('b1', ['p1']), expired]).expired(hours(100), 10)).toEqual([]);
  });
});
