import type { CommandContext } from '@salur/kernel';
import { specFor } from '@salur/kernel/testing';
import type { BankAccountSnapshot } from './bank-account';
import type { PaymentCommand } from './payment.commands';
import { paymentDecider } from './payment.decider';
import type { PaymentEvent } from './payment.events';
import { paymentIdFor } from './payment-id';

const spec = specFor(paymentDecider);
const at = '2026-11-26T08:00:00.000Z';
const officer: CommandContext = { actor: { userId: 'officer-1', role: 'finance-officer' }, now: at };
const bank: CommandContext = { actor: { userId: 'bank-job', role: 'bank-integration' }, now: at };
const programmeId = 'BANTU-UMAK-2026';
const beneficiaryId = 'b7c1d2e3-0000-4000-8000-000000000001';
const paymentId = paymentIdFor(programmeId, '2026-11', beneficiaryId);
const batchId = 'batch-0001';
const account: BankAccountSnapshot = {
  bankCode: '002',
  accountNumber: '001901000378301',
  accountHolderName: 'SITI AMINAH',
};
const fixedAccount: BankAccountSnapshot = { ...account, accountNumber: '001901000999999' };

const scheduled: PaymentEvent = {
  type: 'PaymentScheduled',
  data: { paymentId, programmeId, period: '2026-11', beneficiaryId, amount: '600000.00', scheduledBy: 'officer-1', at },
};
const batched: PaymentEvent = { type: 'PaymentBatched', data: { paymentId, batchId, account, attempt: 1, at } };
const sent: PaymentEvent = { type: 'PaymentSentToBank', data: { paymentId, batchId, at } };
const credited: PaymentEvent = {
  type: 'PaymentCredited',
  data: {
    paymentId,
    batchId,
    approvedAmount: '600000.00',
    creditedAmount: '600000.00',
    deductedAmount: '0.00',
    bankReference: 'BRI-REF-1',
    valueDate: '2026-11-27',
    at,
  },
};
const rejected: PaymentEvent = {
  type: 'PaymentRejected',
  data: { paymentId, batchId, reasonCode: 'AC04', bankReference: undefined, at },
};

const command = <T extends PaymentCommand['type']>(
  type: T,
  data: Extract<PaymentCommand, { type: T }>['data'],
  context: CommandContext = officer,
) => ({ type, data, context }) as Extract<PaymentCommand, { type: T }>;

describe('payment decider', () => {
  describe('SchedulePayment', () => {
    const schedule = (overrides: Partial<{ amount: string; paymentId: string; period: string }> = {}) =>
      command('SchedulePayment', {
        paymentId,
        programmeId,
        period: '2026-11',
        beneficiaryId,
        amount: '600000',
        ...overrides,
      });

    it('schedules the approved amount in canonical form', () => spec([]).when(schedule()).then([scheduled]));
    it('treats a repeated schedule as a retry: nothing new', () =>
      spec([scheduled]).when(schedule()).thenNothingHappens());
    it('refuses a second payment for the same period with another amount', () =>
      spec([scheduled])
        .when(schedule({ amount: '700000.00' }))
        .thenThrows({ code: 'PAYMENT_EXISTS', kind: 'conflict' }));
    it('refuses an id not derived from programme, period and beneficiary', () =>
      spec([])
        .when(schedule({ paymentId: paymentIdFor(programmeId, '2026-12', beneficiaryId) }))
        .thenThrows({ code: 'PAYMENT_ID_MISMATCH', field: 'paymentId' }));
    it.each([['0'], ['-5'], ['1e6'], ['600000.001']])('refuses the amount %s', (amount) =>
      spec([]).when(schedule({ amount })).thenThrows({ code: 'INVALID_AMOUNT', field: 'amount' }),
    );
    it('refuses a malformed period', () =>
      spec([])
        .when(schedule({ period: '2026-13' }))
        .thenThrows({ code: 'INVALID_PERIOD', field: 'period' }));
  });

  describe('BatchPayment and UnbatchPayment', () => {
    it('puts a scheduled payment in a batch with the account snapshot', () =>
      spec([scheduled]).when(command('BatchPayment', { paymentId, batchId, account })).then([batched]));
    it('records the revision of the beneficiary record the account was read at', () =>
      spec([scheduled])
        .when(command('BatchPayment', { paymentId, batchId, account, beneficiaryRevision: 4 }))
        .then([
          { type: 'PaymentBatched', data: { paymentId, batchId, account, beneficiaryRevision: 4, attempt: 1, at } },
        ]));
    it('is idempotent for the same batch', () =>
      spec([scheduled, batched]).when(command('BatchPayment', { paymentId, batchId, account })).thenNothingHappens());
    it('refuses a second open batch', () =>
      spec([scheduled, batched])
        .when(command('BatchPayment', { paymentId, batchId: 'batch-0002', account }))
        .thenThrows({ code: 'PAYMENT_ALREADY_BATCHED', kind: 'conflict' }));
    it('refuses a credited payment', () =>
      spec([scheduled, batched, sent, credited])
        .when(command('BatchPayment', { paymentId, batchId: 'batch-0002', account }))
        .thenThrows({ code: 'PAYMENT_NOT_BATCHABLE', kind: 'rule' }));
    it('returns a batched payment to the pool', () =>
      spec([scheduled, batched])
        .when(command('UnbatchPayment', { paymentId, batchId, reason: 'batch cancelled' }))
        .then([{ type: 'PaymentUnbatched', data: { paymentId, batchId, reason: 'batch cancelled', at } }]));
    it('can batch again after being unbatched', () =>
      spec([scheduled, batched, { type: 'PaymentUnbatched', data: { paymentId, batchId, reason: 'x', at } }])
        .when(command('BatchPayment', { paymentId, batchId: 'batch-0002', account }))
        .then([{ type: 'PaymentBatched', data: { paymentId, batchId: 'batch-0002', account, attempt: 1, at } }]));
    it('ignores an unbatch for another batch (a retried cancellation)', () =>
      spec([scheduled])
        .when(command('UnbatchPayment', { paymentId, batchId, reason: 'x' }))
        .thenNothingHappens());
    it('refuses to unbatch a payment already sent', () =>
      spec([scheduled, batched, sent])
        .when(command('UnbatchPayment', { paymentId, batchId, reason: 'x' }))
        .thenThrows({ code: 'PAYMENT_ALREADY_SENT' }));
  });

  describe('bank results', () => {
    const credit = (creditedAmount: string, bankReference = 'BRI-REF-1') =>
      command('RecordCredit', { paymentId, batchId, creditedAmount, bankReference, valueDate: '2026-11-27' }, bank);

    it('marks a batched payment sent', () =>
      spec([scheduled, batched]).when(command('MarkPaymentSent', { paymentId, batchId })).then([sent]));
    it('records a full credit with nothing deducted', () =>
      spec([scheduled, batched, sent]).when(credit('600000.00')).then([credited]));
    it('records a short credit with the deduction and flags it', () =>
      spec([scheduled, batched, sent])
        .when(credit('550000.00'))
        .then([
          {
            type: 'PaymentCredited',
            data: { ...credited.data, creditedAmount: '550000.00', deductedAmount: '50000.00' } as never,
          },
          {
            type: 'PaymentDeductionFlagged',
            data: {
              paymentId,
              batchId,
              approvedAmount: '600000.00',
              creditedAmount: '550000.00',
              deductedAmount: '50000.00',
              at,
            },
          },
        ]));
    describe("the bank's evidence, passed in by the ingestion", () => {
      const evidence = {
        fileSha256: 'a'.repeat(64),
        fileFormat: 'camt.054.001.08',
        fileLine: 7,
        endToEndId: paymentId.replace(/-/g, ''),
        entryReference: 'NTRY-7',
        accountServicerReference: 'BRI-REF-1',
        bookingDate: '2026-11-27',
        amount: '600000',
        currency: 'IDR',
      };
      const withEvidence = (bankEvidence: object, creditedAmount = '600000.00') =>
        command(
          'RecordCredit',
          { ...credit(creditedAmount).data, bankEvidence: bankEvidence as typeof evidence },
          bank,
        );
      it('records it as data on the credit, exactly its fields, the amount as the bank wrote it', () =>
        spec([scheduled, batched, sent])
          .when(withEvidence({ ...evidence, injected: 'not copied' }))
          .then([{ type: 'PaymentCredited', data: { ...credited.data, bankEvidence: evidence } as never }]));
      it('refuses evidence of another amount than the one credited', () =>
        spec([scheduled, batched, sent])
          .when(withEvidence({ ...evidence, amount: '597500.00' }))
          .thenThrows({ code: 'BANK_EVIDENCE_AMOUNT_DIFFERS', field: 'bankEvidence' }));
      it('refuses evidence no bank file could hold', () => {
        for (const bad of [{ fileSha256: 'abc' }, { fileLine: 0 }, { currency: 'rupiah' }, { amount: '6e5' }])
          spec([scheduled, batched, sent])
            .when(withEvidence({ ...evidence, ...bad }))
            .thenThrows({ code: 'INVALID_BANK_EVIDENCE' });
      });
    });
    it('refuses a credit above the approved amount', () =>
      spec([scheduled, batched, sent])
        .when(credit('600000.01'))
        .thenThrows({ code: 'CREDIT_EXCEEDS_APPROVED', kind: 'rule' }));
    it('ignores the same credit reported twice', () =>
      spec([scheduled, batched, sent, credited]).when(credit('600000.00')).thenNothingHappens());
    it('refuses a second credit under another reference', () =>
      spec([scheduled, batched, sent, credited])
        .when(credit('600000.00', 'BRI-REF-2'))
        .thenThrows({ code: 'DUPLICATE_CREDIT', kind: 'conflict' }));
    it('refuses a credit for a payment not sent', () =>
      spec([scheduled, batched]).when(credit('600000.00')).thenThrows({ code: 'PAYMENT_NOT_SENT' }));
    it('records a rejection with its reason code', () =>
      spec([scheduled, batched, sent])
        .when(command('RecordRejection', { paymentId, batchId, reasonCode: 'AC04' }, bank))
        .then([rejected]));
    it('refuses a reason code that is not ISO 20022 shaped', () =>
      spec([scheduled, batched, sent])
        .when(command('RecordRejection', { paymentId, batchId, reasonCode: 'closed' }, bank))
        .thenThrows({ code: 'INVALID_REASON_CODE', field: 'reasonCode' }));
    it('records a return of the credited amount', () =>
      spec([scheduled, batched, sent, credited])
        .when(
          command(
            'RecordReturn',
            { paymentId, batchId, reasonCode: 'AC04', returnedAmount: '600000.00', bankReference: 'RET-1' },
            bank,
          ),
        )
        .then([
          {
            type: 'PaymentReturned',
            data: { paymentId, batchId, reasonCode: 'AC04', returnedAmount: '600000.00', bankReference: 'RET-1', at },
          },
        ]));
    it('refuses a return of another amount', () =>
      spec([scheduled, batched, sent, credited])
        .when(
          command(
            'RecordReturn',
            { paymentId, batchId, reasonCode: 'AC04', returnedAmount: '1.00', bankReference: 'RET-1' },
            bank,
          ),
        )
        .thenThrows({ code: 'RETURN_AMOUNT_MISMATCH' }));
  });

  describe('ReissuePayment', () => {
    const reissued: PaymentEvent = {
      type: 'PaymentReissued',
      data: { paymentId, previousAccount: account, account: fixedAccount, attempt: 2, reissuedBy: 'officer-1', at },
    };
    it('reissues a rejected payment to the fixed account as attempt 2', () =>
      spec([scheduled, batched, sent, rejected])
        .when(command('ReissuePayment', { paymentId, account: fixedAccount }))
        .then([reissued]));
    it('refuses to reissue to the account the bank refused', () =>
      spec([scheduled, batched, sent, rejected])
        .when(command('ReissuePayment', { paymentId, account }))
        .thenThrows({ code: 'ACCOUNT_NOT_FIXED', kind: 'rule' }));
    it('reissues exactly once: a retry changes nothing', () =>
      spec([scheduled, batched, sent, rejected, reissued])
        .when(command('ReissuePayment', { paymentId, account: fixedAccount }))
        .thenNothingHappens());
    it('refuses to reissue a credited payment', () =>
      spec([scheduled, batched, sent, credited])
        .when(command('ReissuePayment', { paymentId, account: fixedAccount }))
        .thenThrows({ code: 'PAYMENT_NOT_REISSUABLE' }));
    it('the reissued payment returns to the pool and is batched as attempt 2', () =>
      spec([scheduled, batched, sent, rejected, reissued])
        .when(command('BatchPayment', { paymentId, batchId: 'batch-0002', account: fixedAccount }))
        .then([
          { type: 'PaymentBatched', data: { paymentId, batchId: 'batch-0002', account: fixedAccount, attempt: 2, at } },
        ]));
  });

  describe('ReissuePayment by the class of the reason code', () => {
    const rejectedFor = (reasonCode: string): PaymentEvent => ({
      type: 'PaymentRejected',
      data: { paymentId, batchId, reasonCode, bankReference: undefined, at },
    });
    const reissuedAsIs: PaymentEvent = {
      type: 'PaymentReissued',
      data: { paymentId, previousAccount: account, account, attempt: 2, reissuedBy: 'officer-1', at },
    };
    it('reissues a debtor-side rejection (AM04, treasury short of funds) to the same account', () =>
      spec([scheduled, batched, sent, rejectedFor('AM04')])
        .when(command('ReissuePayment', { paymentId, account }))
        .then([reissuedAsIs]));
    it('treats a retried as-is reissue as done', () =>
      spec([scheduled, batched, sent, rejectedFor('AM04'), reissuedAsIs])
        .when(command('ReissuePayment', { paymentId, account }))
        .thenNothingHappens());
    it.each(['AC04', 'AC01', 'MD07', 'RC01'])('needs a fixed account after a beneficiary-side %s', (reasonCode) =>
      spec([scheduled, batched, sent, rejectedFor(reasonCode)])
        .when(command('ReissuePayment', { paymentId, account }))
        .thenThrows({ code: 'ACCOUNT_NOT_FIXED', kind: 'rule' }),
    );
    it('reissues an AC04 rejection once the account is fixed', () =>
      spec([scheduled, batched, sent, rejectedFor('AC04')])
        .when(command('ReissuePayment', { paymentId, account: fixedAccount }))
        .then([
          {
            type: 'PaymentReissued',
            data: {
              paymentId,
              previousAccount: account,
              account: fixedAccount,
              attempt: 2,
              reissuedBy: 'officer-1',
              at,
            },
          },
        ]));
    it.each(['NARR', 'MS02', 'ZZ99'])('handles an unclassified %s as beneficiary-side', (reasonCode) =>
      spec([scheduled, batched, sent, rejectedFor(reasonCode)])
        .when(command('ReissuePayment', { paymentId, account }))
        .thenThrows({ code: 'ACCOUNT_NOT_FIXED' }),
    );
    it('reissues a debtor-side return (AG01) as is', () =>
      spec([
        scheduled,
        batched,
        sent,
        credited,
        {
          type: 'PaymentReturned',
          data: { paymentId, batchId, reasonCode: 'AG01', returnedAmount: '600000.00', bankReference: 'RET-1', at },
        },
      ])
        .when(command('ReissuePayment', { paymentId, account }))
        .then([reissuedAsIs]));
  });

  describe('outcome unknown', () => {
    const later = (hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();
    const pass = (hours: number): CommandContext => ({
      actor: { userId: 'salur-workflows', role: 'admin' },
      now: later(hours),
    });
    const mark = (hours: number) =>
      command('MarkOutcomeUnknown', { paymentId, batchId, timeoutHours: 72 }, pass(hours));
    const unknown: PaymentEvent = {
      type: 'PaymentOutcomeUnknown',
      data: { paymentId, batchId, sentAt: at, timeoutHours: 72, at: later(72) },
    };
    const second: CommandContext = { actor: { userId: 'officer-2', role: 'finance-officer' }, now: at };
    const request = (outcome: 'credited' | 'not-credited', context = officer) =>
      command('RequestOutcomeDecision', { paymentId, outcome, reason: 'the bank confirmed by letter' }, context);
    const requested = (outcome: 'credited' | 'not-credited'): PaymentEvent => ({
      type: 'PaymentOutcomeDecisionRequested',
      data: { paymentId, batchId, outcome, reason: 'the bank confirmed by letter', requestedBy: 'officer-1', at },
    });
    const decided = (outcome: 'credited' | 'not-credited'): PaymentEvent => ({
      type: 'PaymentOutcomeDecided',
      data: {
        paymentId,
        batchId,
        outcome,
        amount: '600000.00',
        reason: 'the bank confirmed by letter',
        requestedBy: 'officer-1',
        decidedBy: 'officer-2',
        at,
      },
    });

    it('marks a payment sent 72 hours ago with no answer', () =>
      spec([scheduled, batched, sent]).when(mark(72)).then([unknown]));
    it('refuses to mark it before the timeout', () =>
      spec([scheduled, batched, sent]).when(mark(71)).thenThrows({ code: 'OUTCOME_NOT_OVERDUE', kind: 'rule' }));
    it('leaves a payment the bank answered meanwhile alone', () =>
      spec([scheduled, batched, sent, credited]).when(mark(100)).thenNothingHappens());
    it('marks it once', () => spec([scheduled, batched, sent, unknown]).when(mark(100)).thenNothingHappens());
    it('refuses to reissue it', () =>
      spec([scheduled, batched, sent, unknown])
        .when(command('ReissuePayment', { paymentId, account: fixedAccount }))
        .thenThrows({ code: 'OUTCOME_UNKNOWN', kind: 'rule' }));
    it('accepts a later status report crediting it', () =>
      spec([scheduled, batched, sent, unknown])
        .when(
          command(
            'RecordCredit',
            { paymentId, batchId, creditedAmount: '600000.00', bankReference: 'BRI-REF-1', valueDate: '2026-11-27' },
            bank,
          ),
        )
        .then([credited]));
    it('accepts a later status report rejecting it', () =>
      spec([scheduled, batched, sent, unknown])
        .when(command('RecordRejection', { paymentId, batchId, reasonCode: 'AC04' }, bank))
        .then([rejected]));
    it('records a first officer’s request', () =>
      spec([scheduled, batched, sent, unknown])
        .when(request('not-credited'))
        .then([requested('not-credited')]));
    it('refuses a request for a payment whose outcome is known', () =>
      spec([scheduled, batched, sent]).when(request('credited')).thenThrows({ code: 'OUTCOME_NOT_UNKNOWN' }));
    it('refuses a request without a real reason', () =>
      spec([scheduled, batched, sent, unknown])
        .when(command('RequestOutcomeDecision', { paymentId, outcome: 'credited', reason: ' ok ' }))
        .thenThrows({ code: 'INVALID_REASON', field: 'reason' }));
    it('refuses a second officer’s competing request', () =>
      spec([scheduled, batched, sent, unknown, requested('credited')])
        .when(request('not-credited', second))
        .thenThrows({ code: 'OUTCOME_DECISION_PENDING', kind: 'conflict' }));
    it('lets the requester ask again: the same request changes nothing', () =>
      spec([scheduled, batched, sent, unknown, requested('credited')])
        .when(request('credited'))
        .thenNothingHappens());
    it.each(['officer-1', 'OFFICER-1', ' Officer-1 '])('refuses the requester spelt %j as confirmer', (userId) =>
      spec([scheduled, batched, sent, unknown, requested('credited')])
        .when(
          command(
            'ConfirmOutcomeDecision',
            { paymentId, outcome: 'credited' },
            { ...officer, actor: { ...officer.actor, userId } },
          ),
        )
        .thenThrows({ code: 'FOUR_EYES_REQUIRED', kind: 'forbidden' }),
    );
    it('refuses a confirmation of another outcome than the one asked for', () =>
      spec([scheduled, batched, sent, unknown, requested('credited')])
        .when(command('ConfirmOutcomeDecision', { paymentId, outcome: 'not-credited' }, second))
        .thenThrows({ code: 'OUTCOME_DECISION_DIFFERS', kind: 'conflict' }));
    it('refuses a confirmation nobody asked for', () =>
      spec([scheduled, batched, sent, unknown])
        .when(command('ConfirmOutcomeDecision', { paymentId, outcome: 'credited' }, second))
        .thenThrows({ code: 'NO_OUTCOME_DECISION_REQUESTED' }));
    it.each(['credited', 'not-credited'] as const)('decides %s on a second officer’s confirmation', (outcome) =>
      spec([scheduled, batched, sent, unknown, requested(outcome)])
        .when(command('ConfirmOutcomeDecision', { paymentId, outcome }, second))
        .then([decided(outcome)]),
    );
    it('treats a repeated confirmation as done', () =>
      spec([scheduled, batched, sent, unknown, requested('credited'), decided('credited')])
        .when(command('ConfirmOutcomeDecision', { paymentId, outcome: 'credited' }, second))
        .thenNothingHappens());
    it('reissues a payment decided not credited as is', () =>
      spec([scheduled, batched, sent, unknown, requested('not-credited'), decided('not-credited')])
        .when(command('ReissuePayment', { paymentId, account }))
        .then([
          {
            type: 'PaymentReissued',
            data: { paymentId, previousAccount: account, account, attempt: 2, reissuedBy: 'officer-1', at },
          },
        ]));
    it('never reissues a payment decided credited', () =>
      spec([scheduled, batched, sent, unknown, requested('credited'), decided('credited')])
        .when(command('ReissuePayment', { paymentId, account: fixedAccount }))
        .thenThrows({ code: 'PAYMENT_NOT_REISSUABLE' }));
    it('refuses a bank credit after a decided credit as a duplicate', () =>
      spec([scheduled, batched, sent, unknown, requested('credited'), decided('credited')])
        .when(
          command(
            'RecordCredit',
            { paymentId, batchId, creditedAmount: '600000.00', bankReference: 'BRI-REF-9', valueDate: '2026-11-27' },
            bank,
          ),
        )
        .thenThrows({ code: 'DUPLICATE_CREDIT', kind: 'conflict' }));
  });

  describe('reversal under four eyes', () => {
    const requested: PaymentEvent = {
      type: 'PaymentReversalRequested',
      data: { paymentId, reason: 'credited to a deceased beneficiary', requestedBy: 'officer-1', at },
    };
    const approver: CommandContext = { actor: { userId: 'officer-2', role: 'finance-officer' }, now: at };

    it('records a request with its reason', () =>
      spec([scheduled, batched, sent, credited])
        .when(command('RequestReversal', { paymentId, reason: 'credited to a deceased beneficiary' }))
        .then([requested]));
    it('refuses the requester as approver', () =>
      spec([scheduled, batched, sent, credited, requested])
        .when(command('ApproveReversal', { paymentId }))
        .thenThrows({ code: 'FOUR_EYES_REQUIRED', kind: 'forbidden' }));
    it.each(['OFFICER-1', ' officer-1 ', 'Officer-1'])('refuses the requester spelt %j as approver', (userId) =>
      spec([scheduled, batched, sent, credited, requested])
        .when(command('ApproveReversal', { paymentId }, { ...officer, actor: { ...officer.actor, userId } }))
        .thenThrows({ code: 'FOUR_EYES_REQUIRED', kind: 'forbidden' }),
    );
    it('refuses the requester as approver when the request was recorded before ids were canonical', () =>
      spec([
        scheduled,
        batched,
        sent,
        credited,
        { ...requested, data: { ...requested.data, requestedBy: 'Officer-1 ' } },
      ])
        .when(command('ApproveReversal', { paymentId }))
        .thenThrows({ code: 'FOUR_EYES_REQUIRED', kind: 'forbidden' }));
    it('reverses on a second officer’s approval', () =>
      spec([scheduled, batched, sent, credited, requested])
        .when(command('ApproveReversal', { paymentId }, approver))
        .then([
          {
            type: 'PaymentReversed',
            data: {
              paymentId,
              amount: '600000.00',
              reason: 'credited to a deceased beneficiary',
              requestedBy: 'officer-1',
              approvedBy: 'officer-2',
              at,
            },
          },
        ]));
    it('refuses an approval without a request', () =>
      spec([scheduled, batched, sent, credited])
        .when(command('ApproveReversal', { paymentId }, approver))
        .thenThrows({ code: 'NO_REVERSAL_REQUESTED' }));
    it('refuses a reversal of a payment never credited', () =>
      spec([scheduled])
        .when(command('RequestReversal', { paymentId, reason: 'mistake in the register' }))
        .thenThrows({ code: 'PAYMENT_NOT_CREDITED' }));
  });

  it('refuses any command on a payment that does not exist', () =>
    spec([])
      .when(command('MarkPaymentSent', { paymentId, batchId }))
      .thenThrows({ code: 'PAYMENT_NOT_FOUND', kind: 'not-found' }));
});
