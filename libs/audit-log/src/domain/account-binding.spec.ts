import { accountBindingFindings } from './account-binding';
import type { LeafRecord, LoggedEvent } from './leaf';
import { assessPayment, EvidenceChainError } from './payment-evidence';

const PAYMENT = '8f0c3c2e-5a57-5d6b-9a59-0d7b1c1f2a11';
const BENEFICIARY = 'b0b0b0b0-0000-4000-8000-000000000001';
const BATCH = 'b1b1b1b1-0000-4000-8000-000000000001';
const SECOND = 'b1b1b1b1-0000-4000-8000-000000000002';
const SUBJECT = `beneficiary-${BENEFICIARY}`;
const OLD = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };
const NEW = { bankCode: '002', accountNumber: '002201000999302', accountHolderName: 'SITI AMINAH' };
const STRANGER = { bankCode: '002', accountNumber: '009901000111303', accountHolderName: 'ANDI WIJAYA' };

type Step = readonly [stream: 'payment' | 'beneficiary' | string, type: string, data: Record<string, unknown>];

/** A history in log order: each stream's events get consecutive revisions, leaf indexes grow by 10. */
function history(...steps: Step[]): LoggedEvent[] {
  const revisions = new Map<string, number>();
  return steps.map(([target, type, data], i) => {
    const stream = target === 'payment' ? `payment-${PAYMENT}` : target === 'beneficiary' ? SUBJECT : `batch-${target}`;
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    const owner =
      target === 'payment' ? { paymentId: PAYMENT } : target === 'beneficiary' ? { beneficiaryId: BENEFICIARY } : {};
    const record: LeafRecord = {
      id: `event-${i}`,
      stream,
      revision,
      type,
      data: target === 'payment' || target === 'beneficiary' ? { ...owner, ...data } : { batchId: target, ...data },
      metadata: {},
      recordedAt: '2026-11-03T08:00:00.000Z',
    };
    return { leafIndex: 10 * i + 5, record };
  });
}

/** A sealed field as libs/personal-data writes it: the commitment stands for the clear value. */
const sealed = (value: string, kind: string, subject = SUBJECT) => ({
  sealed: 'salur-pd/1',
  subject,
  kind,
  commitment: `hmac(${subject},${kind},${value})`,
  ciphertext: `ciphertext-${Math.random()}`,
});
const sealedAccount = (account: typeof OLD, subject = SUBJECT) => ({
  bankCode: account.bankCode,
  accountNumber: sealed(account.accountNumber, 'account-number', subject),
  accountHolderName: sealed(account.accountHolderName, 'account-holder-name', subject),
});

const enrolled = (account: object = OLD): Step => ['beneficiary', 'BeneficiaryEnrolled', { bankAccount: account }];
const changed = (from: object, to: object): Step => [
  'beneficiary',
  'BankAccountChanged',
  { previousBankAccount: from, bankAccount: to },
];
const scheduled: Step = ['payment', 'PaymentScheduled', { amount: '600000.00', beneficiaryId: BENEFICIARY }];
const batched = (account: object = OLD, batch = BATCH): Step => [
  'payment',
  'PaymentBatched',
  { batchId: batch, account, attempt: 1 },
];
const reissued = (from: object, to: object): Step => [
  'payment',
  'PaymentReissued',
  { previousAccount: from, account: to, attempt: 2 },
];
const created = (batch = BATCH): Step => [
  batch,
  'BatchCreated',
  { payments: [{ paymentId: PAYMENT, amount: '600000.00' }], count: 1, controlSum: '600000.00' },
];
const file = (batch = BATCH): Step => [
  batch,
  'BatchFileGenerated',
  { format: 'pain001', sha256: 'ab'.repeat(32), count: 1, controlSum: '600000.00', chargeBearer: 'DEBT' },
];
const sent = (batch = BATCH): Step => ['payment', 'PaymentSentToBank', { batchId: batch }];
const rejected = (batch = BATCH): Step => ['payment', 'PaymentRejected', { batchId: batch, reasonCode: 'AC04' }];
const credited = (batch = BATCH): Step => [
  'payment',
  'PaymentCredited',
  {
    batchId: batch,
    approvedAmount: '600000.00',
    creditedAmount: '600000.00',
    deductedAmount: '0.00',
    bankReference: 'REF1',
    valueDate: '2026-11-05',
  },
];

/** Paid in full at the second attempt, to `to`, after the first went to OLD and was refused. */
const reissue = (to: object, ...before: Step[]) =>
  history(
    enrolled(),
    scheduled,
    created(),
    batched(),
    file(),
    sent(),
    rejected(),
    ...before,
    reissued(OLD, to),
    created(SECOND),
    batched(to, SECOND),
    file(SECOND),
    sent(SECOND),
    credited(SECOND),
  );

const findingsOf = (events: LoggedEvent[]) =>
  accountBindingFindings(
    events.filter((event) => event.record.stream === `payment-${PAYMENT}`),
    events,
  );
const bound = (events: LoggedEvent[]) => assessPayment(PAYMENT, events, { bindAccounts: true });
const leafOf = (events: LoggedEvent[], type: string, nth = 0) =>
  events.filter((event) => event.record.type === type)[nth].leafIndex;

describe('account binding: the account paid is the one on the beneficiary’s record at that leaf', () => {
  it('holds for a payment batched to the account its beneficiary enrolled with', () => {
    const events = history(enrolled(), scheduled, created(), batched(), file(), sent(), credited());
    expect(findingsOf(events)).toEqual([]);
    expect(bound(events)).toMatchObject({ verdict: 'full-amount', discrepancies: [] });
  });

  it('holds for a reissue to the account the record was changed to before it', () => {
    const events = reissue(NEW, changed(OLD, NEW));
    expect(findingsOf(events)).toEqual([]);
    expect(bound(events).verdict).toBe('full-amount');
  });

  it('fails a reissue to an account the record never held, naming both leaves: credited in full, yet not bound', () => {
    const events = reissue(STRANGER);
    const enrolment = leafOf(events, 'BeneficiaryEnrolled');
    const expected = [
      `the account at leaf ${leafOf(events, 'PaymentReissued')} (PaymentReissued) is not the one ${SUBJECT}'s record held, set at leaf ${enrolment} (BeneficiaryEnrolled): accountNumber differs; accountHolderName differs`,
      `the account at leaf ${leafOf(events, 'PaymentBatched', 1)} (PaymentBatched) is not the one ${SUBJECT}'s record held, set at leaf ${enrolment} (BeneficiaryEnrolled): accountNumber differs; accountHolderName differs`,
    ];
    expect(findingsOf(events)).toEqual(expected);
    expect(bound(events)).toMatchObject({
      status: 'credited',
      creditedAmount: '600000.00',
      verdict: 'account-not-bound',
      discrepancies: expected,
    });
  });

  it('takes the latest account before the leaf in log order: a change made after the reissue does not bind it', () => {
    const events = history(
      enrolled(),
      scheduled,
      created(),
      batched(),
      file(),
      sent(),
      rejected(),
      reissued(OLD, NEW),
      changed(OLD, NEW),
    );
    expect(findingsOf(events)).toEqual([
      `the account at leaf ${leafOf(events, 'PaymentReissued')} (PaymentReissued) is not the one ${SUBJECT}'s record held, set at leaf ${leafOf(events, 'BeneficiaryEnrolled')} (BeneficiaryEnrolled): accountNumber differs`,
    ]);
    // …and a change made after a batching does not unbind it.
    expect(findingsOf(history(enrolled(), scheduled, batched(), changed(OLD, NEW)))).toEqual([]);
  });

  it('fails a payment batched before its beneficiary had any account on record', () => {
    const events = history(scheduled, batched(), enrolled());
    expect(findingsOf(events)).toEqual([
      `the account at leaf ${leafOf(events, 'PaymentBatched')} (PaymentBatched) precedes any account on ${SUBJECT}'s record`,
    ]);
  });

  it('compares the bank code in clear', () => {
    const events = history(enrolled(), scheduled, batched({ ...OLD, bankCode: '008' }));
    expect(findingsOf(events)).toEqual([expect.stringMatching(/: bankCode 008, not 002$/)]);
  });

  describe('sealed fields, compared by commitment', () => {
    it('binds equal values of the same subject and kind, whatever their ciphertexts', () => {
      const events = reissue(sealedAccount(NEW), changed(sealedAccount(OLD), sealedAccount(NEW)));
      expect(findingsOf(events)).toEqual([]);
    });

    it('refuses another commitment, another subject or another kind', () => {
      const other = sealedAccount(STRANGER);
      expect(findingsOf(history(enrolled(sealedAccount(OLD)), scheduled, batched(other)))).toEqual([
        expect.stringMatching(
          /: accountNumber differs \(another commitment\); accountHolderName differs \(another commitment\)$/,
        ),
      ]);
      const foreign = sealedAccount(OLD, 'beneficiary-someone-else');
      expect(findingsOf(history(enrolled(sealedAccount(OLD)), scheduled, batched(foreign)))).toEqual([
        expect.stringContaining(`accountNumber is sealed for beneficiary-someone-else, the record's for ${SUBJECT}`),
      ]);
      const asName = { ...sealedAccount(OLD), accountNumber: sealed(OLD.accountNumber, 'name') };
      expect(findingsOf(history(enrolled(sealedAccount(OLD)), scheduled, batched(asName)))).toEqual([
        expect.stringMatching(/: accountNumber is sealed as name, the record's as account-number$/),
      ]);
    });

    it('cannot compare a sealed value with a clear one, nor anything else', () => {
      expect(findingsOf(history(enrolled(OLD), scheduled, batched(sealedAccount(OLD))))).toEqual([
        expect.stringMatching(/: accountNumber is sealed in one and clear in the other: they cannot be compared; /),
      ]);
      expect(findingsOf(history(enrolled(OLD), scheduled, batched({ ...OLD, accountNumber: 1901 })))).toEqual([
        expect.stringMatching(/: accountNumber is neither a string nor a sealed field$/),
      ]);
      expect(findingsOf(history(enrolled(OLD), scheduled, batched('001901000378301' as unknown as object)))).toEqual([
        expect.stringMatching(/: one of them is not an account/),
      ]);
    });
  });

  describe('the chain', () => {
    it('breaks when the beneficiary’s events are not in the history', () => {
      const events = history(scheduled, created(), batched(), file(), sent(), credited());
      expect(() => bound(events)).toThrow(EvidenceChainError);
      expect(() => bound(events)).toThrow(
        `the events of ${SUBJECT}, whose account the payment must go to, are not in the proof`,
      );
    });

    it('breaks when an event of the beneficiary is left out, such as the change that unbinds the reissue', () => {
      const events = reissue(STRANGER, changed(OLD, NEW), changed(NEW, STRANGER)).filter(
        (event) => !(event.record.type === 'BankAccountChanged' && event.record.revision === 1),
      );
      expect(() => bound(events)).toThrow(
        new RegExp(`^${SUBJECT}: expected revision 1 at leaf \\d+, found revision 2: an event is missing`),
      );
    });

    it('without bindAccounts (a v1 document) the rule is not applied and beneficiary events are strangers', () => {
      const unbound = history(scheduled, created(), batched(STRANGER), file(), sent(), credited());
      expect(assessPayment(PAYMENT, unbound).verdict).toBe('full-amount');
      expect(() => assessPayment(PAYMENT, reissue(NEW, changed(OLD, NEW)))).toThrow(
        /belongs neither to the payment nor to a batch it was sent in/,
      );
    });

    it('breaks when the payment names no beneficiary', () => {
      const events = history(enrolled(), ['payment', 'PaymentScheduled', { amount: '600000.00' }], batched());
      expect(() => bound(events)).toThrow(/PaymentScheduled names no beneficiary/);
    });
  });

  describe('a claim that names the revision of the record it read (beneficiaryRevision)', () => {
    const claimedAt = (revision: number, account: object = OLD): Step => [
      'payment',
      'PaymentBatched',
      { batchId: BATCH, account, attempt: 1, beneficiaryRevision: revision },
    ];

    it('binds to that revision: an account changed while the batch was built is no finding', () => {
      // The builder read revision 0 (OLD); the record changed to NEW before the claim was logged.
      const events = history(enrolled(), scheduled, created(), changed(OLD, NEW), claimedAt(0), file(), sent());
      expect(findingsOf(events)).toEqual([]);
      // Without the revision, log order applies and the same claim is not bound.
      const unnamed = history(enrolled(), scheduled, created(), changed(OLD, NEW), batched(), file(), sent());
      expect(findingsOf(unnamed)).toHaveLength(1);
    });

    it('fails a claim whose account is not the one at the revision it names', () => {
      const events = history(enrolled(), scheduled, created(), changed(OLD, NEW), claimedAt(1, OLD), file(), sent());
      expect(findingsOf(events)).toEqual([
        expect.stringMatching(/is not the one .* set at leaf \d+ \(BankAccountChanged\)/),
      ]);
    });

    it('fails a claim naming a revision of the record that was not logged before it', () => {
      const events = history(enrolled(), scheduled, created(), claimedAt(3), file(), sent());
      expect(findingsOf(events)).toEqual([expect.stringMatching(/names revision 3 .* not logged before it/)]);
    });
  });
});
