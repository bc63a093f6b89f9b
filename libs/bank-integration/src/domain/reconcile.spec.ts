import type { CommandContext } from '@salur/kernel';
import { paymentIdFor, type PaymentEvent } from '@salur/payments/domain';
import type { BankResultLine } from './bank-result-line';
import { compactId, idOfCompact } from './end-to-end-id';
import { EMPTY_HISTORY, evolveHistory, PaymentHistory, reconcile } from './reconcile';

const at = '2026-11-27T09:00:00.000Z';
const bank: CommandContext = { actor: { userId: 'ingest-job', role: 'bank-integration' }, now: at };
const paymentId = paymentIdFor('BANTU-UMAK-2026', '2026-11', 'b7c1d2e3-0000-4000-8000-000000000001');
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-000000000001';
const account = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };
const events: PaymentEvent[] = [
  {
    type: 'PaymentScheduled',
    data: {
      paymentId,
      programmeId: 'BANTU-UMAK-2026',
      period: '2026-11',
      beneficiaryId: 'b7c1d2e3-0000-4000-8000-000000000001',
      amount: '600000.00',
      scheduledBy: 'officer',
      at,
    },
  },
  { type: 'PaymentBatched', data: { paymentId, batchId, account, attempt: 1, at } },
  { type: 'PaymentSentToBank', data: { paymentId, batchId, at } },
];
const sent = historyOf(events);
const credit: PaymentEvent = {
  type: 'PaymentCredited',
  data: {
    paymentId,
    batchId,
    approvedAmount: '600000.00',
    creditedAmount: '600000.00',
    deductedAmount: '0.00',
    bankReference: 'CR-1',
    valueDate: '2026-11-27',
    at,
  },
};

function historyOf(list: PaymentEvent[]): PaymentHistory {
  return list.reduce(evolveHistory, EMPTY_HISTORY);
}

function line(overrides: Partial<BankResultLine>): BankResultLine {
  return {
    line: 1,
    endToEndId: compactId(paymentId),
    outcome: 'credited',
    amount: '600000.00',
    currency: 'IDR',
    account: account.accountNumber,
    bankReference: 'CR-1',
    valueDate: '2026-11-27',
    paymentInfoId: compactId(batchId),
    ...overrides,
  };
}

describe('reconcile: a bank result line against its payment', () => {
  it('maps EndToEndId (32 hex digits, Max35Text) back to the payment id', () => {
    expect(compactId(paymentId)).toHaveLength(32);
    expect(idOfCompact(compactId(paymentId))).toBe(paymentId);
    expect(idOfCompact('NOT-OURS')).toBeUndefined();
  });

  it('records a full credit', () =>
    expect(reconcile(line({}), sent, bank)).toEqual({
      kind: 'apply',
      command: {
        type: 'RecordCredit',
        data: { paymentId, batchId, creditedAmount: '600000.00', bankReference: 'CR-1', valueDate: '2026-11-27' },
        context: bank,
      },
    }));

  describe('a payment whose outcome is unknown (no answer past the timeout)', () => {
    const unknown = historyOf([
      ...events,
      { type: 'PaymentOutcomeUnknown', data: { paymentId, batchId, sentAt: at, timeoutHours: 72, at } },
    ]);
    it('takes the late credit', () =>
      expect(reconcile(line({}), unknown, bank)).toMatchObject({ kind: 'apply', command: { type: 'RecordCredit' } }));
    it('takes the late rejection', () =>
      expect(reconcile(line({ outcome: 'rejected', reasonCode: 'AM04' }), unknown, bank)).toMatchObject({
        kind: 'apply',
        command: { type: 'RecordRejection', data: { reasonCode: 'AM04' } },
      }));
    it('still waits on a pending status', () =>
      expect(reconcile(line({ outcome: 'pending' }), unknown, bank)).toEqual({ kind: 'pending' }));
    it('sets aside a credit after two officers decided it was credited', () => {
      const decided = historyOf([
        ...events,
        { type: 'PaymentOutcomeUnknown', data: { paymentId, batchId, sentAt: at, timeoutHours: 72, at } },
        {
          type: 'PaymentOutcomeDecided',
          data: {
            paymentId,
            batchId,
            outcome: 'credited',
            amount: '600000.00',
            reason: 'bank letter',
            requestedBy: 'fo-1',
            decidedBy: 'fo-2',
            at,
          },
        },
      ]);
      expect(reconcile(line({}), decided, bank)).toMatchObject({ kind: 'exception', reason: 'DUPLICATE' });
    });
  });

  it('records a short credit (the payment decider records the deduction and flags it)', () =>
    expect(reconcile(line({ amount: '597500' }), sent, bank)).toMatchObject({
      kind: 'apply',
      command: { type: 'RecordCredit', data: { creditedAmount: '597500.00' } },
    }));

  it.each([
    [
      'an unknown reference',
      line({ endToEndId: 'ffffffffffffffffffffffffffffffff' }),
      EMPTY_HISTORY,
      'UNKNOWN_REFERENCE',
    ],
    ['a reference that is not ours at all', line({ endToEndId: 'INV-2026-0001' }), sent, 'UNKNOWN_REFERENCE'],
    ['a larger credit', line({ amount: '600000.01' }), sent, 'AMOUNT_DIFFERS'],
    ['another account', line({ account: '001901000378302' }), sent, 'ACCOUNT_DIFFERS'],
    ['another currency', line({ currency: 'USD' }), sent, 'CURRENCY_DIFFERS'],
    [
      'a second credit under another reference',
      line({ bankReference: 'CR-2' }),
      historyOf([...events, credit]),
      'DUPLICATE',
    ],
    ['a credit of a payment not sent', line({}), historyOf(events.slice(0, 2)), 'UNEXPECTED_STATE'],
    ['a status Salur does not act on', line({ outcome: 'unrecognised', status: 'XXXX' }), sent, 'UNRECOGNISED_LINE'],
    ['an amount with an exponent', line({ amount: '6e5' }), sent, 'INVALID_LINE'],
    [
      'a return of a payment never credited',
      line({ outcome: 'returned', reasonCode: 'AC04' }),
      sent,
      'UNEXPECTED_STATE',
    ],
  ])('sends %s to the exception list', (_, given, history, reason) =>
    expect(reconcile(given, history, bank)).toMatchObject({ kind: 'exception', reason }),
  );

  it('treats the same credit again as already applied, even after the payment moved on', () => {
    const returned: PaymentEvent = {
      type: 'PaymentReturned',
      data: { paymentId, batchId, reasonCode: 'AC04', returnedAmount: '600000.00', bankReference: 'RT-1', at },
    };
    expect(reconcile(line({}), historyOf([...events, credit]), bank)).toEqual({ kind: 'already-applied' });
    expect(reconcile(line({}), historyOf([...events, credit, returned]), bank)).toEqual({ kind: 'already-applied' });
    expect(
      reconcile(line({ outcome: 'returned', bankReference: 'RT-1' }), historyOf([...events, credit, returned]), bank),
    ).toEqual({ kind: 'already-applied' });
  });

  it('records a rejection with its reason, once per batch', () => {
    const rejection = line({ outcome: 'rejected', reasonCode: 'AC01', amount: undefined, bankReference: 'RJ-1' });
    expect(reconcile(rejection, sent, bank)).toEqual({
      kind: 'apply',
      command: {
        type: 'RecordRejection',
        data: { paymentId, batchId, reasonCode: 'AC01', bankReference: 'RJ-1' },
        context: bank,
      },
    });
    const rejected: PaymentEvent = { type: 'PaymentRejected', data: { paymentId, batchId, reasonCode: 'AC01', at } };
    expect(reconcile(rejection, historyOf([...events, rejected]), bank)).toEqual({ kind: 'already-applied' });
  });

  it('records a return of the credited amount', () =>
    expect(
      reconcile(
        line({ outcome: 'returned', reasonCode: 'MD07', bankReference: 'RT-1' }),
        historyOf([...events, credit]),
        bank,
      ),
    ).toMatchObject({ kind: 'apply', command: { type: 'RecordReturn', data: { returnedAmount: '600000.00' } } }));

  it('leaves a pending payment as it is: it waits for a status inquiry, never resent', () => {
    expect(reconcile(line({ outcome: 'pending' }), sent, bank)).toEqual({ kind: 'pending' });
    expect(reconcile(line({ outcome: 'accepted' }), sent, bank)).toEqual({ kind: 'acknowledged' });
  });
});
