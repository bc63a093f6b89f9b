import { batchContentHashV2, batchLinesTree } from '@salur/kernel';
import type { BatchLineProof } from './batch-line-evidence';
import type { LeafRecord } from './leaf';
import { assessPayment, EvidenceChainError, LoggedEvent } from './payment-evidence';

const PAYMENT = '8f0c3c2e-5a57-5d6b-9a59-0d7b1c1f2a11';
const OTHER = '11111111-5a57-5d6b-9a59-0d7b1c1f2a11';
const BATCH = 'b1b1b1b1-0000-4000-8000-000000000001';
const SECOND = 'b1b1b1b1-0000-4000-8000-000000000002';
const ACCOUNT = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };

type Step = readonly [stream: 'payment' | string, type: string, data: Record<string, unknown>];

/** Builds a history in log order: each stream's events get consecutive revisions, leaf indexes grow. */
function history(...steps: Step[]): LoggedEvent[] {
  const revisions = new Map<string, number>();
  return steps.map(([target, type, data], i) => {
    const stream = target === 'payment' ? `payment-${PAYMENT}` : `batch-${target}`;
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    const record: LeafRecord = {
      id: `event-${i}`,
      stream,
      revision,
      type,
      data: target === 'payment' ? { paymentId: PAYMENT, ...data } : { batchId: target, ...data },
      metadata: {},
      recordedAt: '2026-11-03T08:00:00.000Z',
    };
    return { leafIndex: 10 * i + 5, record };
  });
}

const scheduled: Step = ['payment', 'PaymentScheduled', { amount: '600000.00', beneficiaryId: 'b-1' }];
const created = (batch = BATCH, amount = '600000.00'): Step => [
  batch,
  'BatchCreated',
  {
    payments: [
      { paymentId: PAYMENT, amount },
      { paymentId: OTHER, amount: '300000.00' },
    ],
    count: 2,
    controlSum: '900000.00',
  },
];
const batched = (batch = BATCH): Step => [
  'payment',
  'PaymentBatched',
  { batchId: batch, account: ACCOUNT, attempt: 1 },
];
const approved = (batch = BATCH): Step => [
  batch,
  'BatchApproved',
  { approverIds: ['fo-2'], count: 2, controlSum: '900000.00' },
];
const file = (batch = BATCH, fields: Record<string, unknown> = {}): Step => [
  batch,
  'BatchFileGenerated',
  { format: 'pain001', sha256: 'ab'.repeat(32), count: 2, controlSum: '900000.00', chargeBearer: 'DEBT', ...fields },
];
const sent = (batch = BATCH): Step => ['payment', 'PaymentSentToBank', { batchId: batch }];
const credited = (creditedAmount: string, deductedAmount: string, batch = BATCH): Step => [
  'payment',
  'PaymentCredited',
  {
    batchId: batch,
    approvedAmount: '600000.00',
    creditedAmount,
    deductedAmount,
    bankReference: 'REF1',
    valueDate: '2026-11-05',
  },
];
const fullHistory = () =>
  history(scheduled, created(), batched(), approved(), file(), sent(), credited('600000.00', '0.00'));

describe('the full-amount rule', () => {
  it('says full-amount when approved, instructed (ChrgBr DEBT) and credited amounts agree', () => {
    expect(assessPayment(PAYMENT, fullHistory())).toEqual({
      approvedAmount: '600000.00',
      batchId: BATCH,
      instructedAmount: '600000.00',
      chargeBearer: 'DEBT',
      bankFileSha256: 'ab'.repeat(32),
      creditedAmount: '600000.00',
      deductedAmount: '0.00',
      status: 'credited',
      verdict: 'full-amount',
      discrepancies: [],
    });
  });

  it('names a deduction, with the amount taken', () => {
    const summary = assessPayment(
      PAYMENT,
      history(scheduled, created(), batched(), file(), sent(), credited('575000.00', '25000.00'), [
        'payment',
        'PaymentDeductionFlagged',
        { batchId: BATCH, deductedAmount: '25000.00' },
      ]),
    );
    expect(summary.verdict).toBe('deduction');
    expect(summary.deductedAmount).toBe('25000.00');
    expect(summary.discrepancies).toEqual(['credited 575000.00 of the approved 600000.00: 25000.00 deducted']);
  });

  it('holds the ledger’s deduction alarm to the credit it follows', () => {
    const events = history(...[scheduled, created(), batched(), file(), sent(), credited('600000.00', '0.00')], [
      'payment',
      'PaymentDeductionFlagged',
      { batchId: BATCH, deductedAmount: '25000.00' },
    ]);
    expect(assessPayment(PAYMENT, events)).toMatchObject({
      verdict: 'inconsistent-credit',
      discrepancies: ['the deduction flagged at leaf 65 (25000.00) is not approved − credited (0.00)'],
    });
  });

  it('recomputes the deduction instead of trusting the one the credit records', () => {
    const summary = assessPayment(
      PAYMENT,
      history(scheduled, created(), batched(), file(), sent(), credited('575000.00', '0.00')),
    );
    expect(summary.verdict).toBe('deduction');
    expect(summary.discrepancies).toContain(
      'the credit at leaf 55 records a deduction of 0.00; approved − credited is 25000.00',
    );
  });

  it('flags a batch line below the approved amount, a file that does not match its batch, charges shared', () => {
    const lower = history(
      scheduled,
      created(BATCH, '590000.00'),
      batched(),
      file(BATCH, { controlSum: '890000.00' }),
      sent(),
      credited('600000.00', '0.00'),
    );
    expect(assessPayment(PAYMENT, lower).verdict).toBe('instructed-amount-differs');
    const mismatch = history(
      scheduled,
      created(),
      batched(),
      file(BATCH, { controlSum: '850000.00' }),
      sent(),
      credited('600000.00', '0.00'),
    );
    expect(assessPayment(PAYMENT, mismatch)).toMatchObject({
      verdict: 'bank-file-differs-from-batch',
      discrepancies: ['the bank file at leaf 35 lists 2 payments for 850000.00; the batch has 2 for 900000.00'],
    });
    const shared = history(
      scheduled,
      created(),
      batched(),
      file(BATCH, { chargeBearer: 'SHAR' }),
      sent(),
      credited('600000.00', '0.00'),
    );
    expect(assessPayment(PAYMENT, shared).verdict).toBe('charges-not-borne-by-debtor');
  });

  it('follows removals from the batch before the file', () => {
    const removed = history(
      scheduled,
      created(),
      batched(),
      [BATCH, 'BatchChanged', { removedPaymentIds: [OTHER], count: 1, controlSum: '600000.00' }],
      file(BATCH, { count: 1, controlSum: '600000.00' }),
      sent(),
      credited('600000.00', '0.00'),
    );
    expect(assessPayment(PAYMENT, removed).verdict).toBe('full-amount');
  });

  it('cannot call a credit full-amount without a pain.001 logged before it (a CSV does not count)', () => {
    expect(
      assessPayment(PAYMENT, history(scheduled, created(), batched(), sent(), credited('600000.00', '0.00'))).verdict,
    ).toBe('bank-file-missing');
    const csvOnly = history(
      scheduled,
      created(),
      batched(),
      file(BATCH, { format: 'csv' }),
      sent(),
      credited('600000.00', '0.00'),
    );
    expect(assessPayment(PAYMENT, csvOnly).verdict).toBe('bank-file-missing');
  });

  it('follows a rejection, a reissue and a second batch to the final credit', () => {
    const events = history(
      scheduled,
      created(),
      batched(),
      file(),
      sent(),
      ['payment', 'PaymentRejected', { batchId: BATCH, reasonCode: 'AC04' }],
      [
        'payment',
        'PaymentReissued',
        { previousAccount: ACCOUNT, account: { ...ACCOUNT, accountNumber: '1' }, attempt: 2 },
      ],
      created(SECOND),
      batched(SECOND),
      file(SECOND, { sha256: 'cd'.repeat(32) }),
      sent(SECOND),
      credited('600000.00', '0.00', SECOND),
    );
    expect(assessPayment(PAYMENT, events)).toMatchObject({
      verdict: 'full-amount',
      batchId: SECOND,
      bankFileSha256: 'cd'.repeat(32),
    });
  });

  it('reports payments not credited (yet) or reversed', () => {
    expect(assessPayment(PAYMENT, history(scheduled, batched())).verdict).toBe('not-credited');
    const reversed = history(
      ...[scheduled, created(), batched(), file(), sent(), credited('600000.00', '0.00')],
      ['payment', 'PaymentReversalRequested', { reason: 'deceased', requestedBy: 'fo-1' }],
      ['payment', 'PaymentReversed', { amount: '600000.00' }],
    );
    expect(assessPayment(PAYMENT, reversed).verdict).toBe('reversed');
  });

  it('follows an unknown outcome to the bank’s late credit, or to two officers’ decision, which it names', () => {
    const unknown: Step = ['payment', 'PaymentOutcomeUnknown', { batchId: BATCH, timeoutHours: 72 }];
    const inFlight = [scheduled, created(), batched(), approved(), file(), sent(), unknown];
    expect(assessPayment(PAYMENT, history(...inFlight))).toMatchObject({ status: 'outcome-unknown', batchId: BATCH });
    expect(assessPayment(PAYMENT, history(...inFlight, credited('600000.00', '0.00'))).verdict).toBe('full-amount');
    const decided = (outcome: string): Step[] => [
      ['payment', 'PaymentOutcomeDecisionRequested', { batchId: BATCH, outcome, requestedBy: 'fo-1' }],
      [
        'payment',
        'PaymentOutcomeDecided',
        { batchId: BATCH, outcome, amount: '600000.00', requestedBy: 'fo-1', decidedBy: 'fo-2' },
      ],
    ];
    const byOfficers = assessPayment(PAYMENT, history(...inFlight, ...decided('credited')));
    expect(byOfficers).toMatchObject({
      status: 'credited',
      creditedAmount: '600000.00',
      verdict: 'inconsistent-credit',
    });
    expect(byOfficers.discrepancies).toEqual([expect.stringContaining('decided by two officers (fo-1, fo-2)')]);
    expect(assessPayment(PAYMENT, history(...inFlight, ...decided('not-credited')))).toMatchObject({
      status: 'not-credited',
      verdict: 'not-credited',
    });
  });
});

describe('the chain rules', () => {
  it('fails when an event of the payment or of its batch is missing', () => {
    const withoutSent = fullHistory().filter((event) => event.record.type !== 'PaymentSentToBank');
    expect(() => assessPayment(PAYMENT, withoutSent)).toThrow(/expected revision 2 at leaf 65, found revision 3/);
    const withoutApproval = fullHistory().filter((event) => event.record.type !== 'BatchApproved');
    expect(() => assessPayment(PAYMENT, withoutApproval)).toThrow(
      /batch-.*expected revision 1 at leaf 45, found revision 2/,
    );
  });

  it('fails when two events are listed out of order', () => {
    const events = fullHistory();
    [events[4], events[5]] = [events[5], events[4]];
    expect(() => assessPayment(PAYMENT, events)).toThrow(/not in log order: leaf 45 is listed after leaf 55/);
  });

  it('fails when the log order contradicts the revisions', () => {
    const events = fullHistory();
    const [a, b] = [events[5].record, events[6].record];
    events[5] = { ...events[5], record: b };
    events[6] = { ...events[6], record: a };
    expect(() => assessPayment(PAYMENT, events)).toThrow(EvidenceChainError);
  });

  it('fails on a transition the ledger never makes, or an unrelated event', () => {
    expect(() => assessPayment(PAYMENT, history(scheduled, sent()))).toThrow(
      /PaymentSentToBank cannot follow a scheduled payment/,
    );
    const stranger = fullHistory();
    stranger.push({ leafIndex: 999, record: { ...stranger[0].record, stream: 'payment-other' } });
    expect(() => assessPayment(PAYMENT, stranger)).toThrow(/belongs neither to the payment nor to a batch/);
  });

  it('fails when the batch the payment was sent in is absent', () => {
    const events = fullHistory().filter((event) => !event.record.stream.startsWith('batch-'));
    expect(() => assessPayment(PAYMENT, events)).toThrow(/the events of batch-.* are not in the proof/);
  });

  it('fails on an amount that is not a decimal string', () => {
    expect(() => assessPayment(PAYMENT, history(['payment', 'PaymentScheduled', { amount: 600000 }]))).toThrow(
      /amount is not an amount/,
    );
  });
});

describe('a salur-batch/v2 batch: the line and its inclusion path instead of the list', () => {
  const header = { batchId: BATCH, programmeId: 'P', period: '2026-11' };
  const lines = [
    [OTHER, 'b-2', '300000.00', '008', 2],
    [PAYMENT, 'b-1', '600000.00', '002', 4],
  ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  const index = lines.findIndex((line) => line[0] === PAYMENT);
  const tree = batchLinesTree(lines);
  const summary = { linesRoot: tree.root, count: 2, total: '900000.00' };
  const contentHash = batchContentHashV2({ ...header, ...summary });
  const createdV2: Step = [
    BATCH,
    'BatchCreated',
    { ...header, payments: summary, count: 2, controlSum: '900000.00', contentHash, contentFormat: 'salur-batch/v2' },
  ];
  const claimedV2: Step = [
    'payment',
    'PaymentBatched',
    { batchId: BATCH, account: ACCOUNT, attempt: 1, beneficiaryRevision: 4 },
  ];
  const events = () =>
    history(scheduled, createdV2, claimedV2, approved(), file(), sent(), credited('600000.00', '0.00'));
  const lineAt = (events: LoggedEvent[]) => events[1].leafIndex;
  const proofOf = (events: LoggedEvent[], edit: Partial<BatchLineProof> = {}): BatchLineProof[] => [
    { leafIndex: lineAt(events), line: lines[index], index, inclusionPath: tree.pathOf(index), ...edit },
  ];

  it('instructs the amount of the proven line: full-amount', () => {
    const history = events();
    expect(assessPayment(PAYMENT, history, { batchLines: proofOf(history) })).toMatchObject({
      instructedAmount: '600000.00',
      verdict: 'full-amount',
      discrepancies: [],
    });
  });

  it('refuses a line whose path does not lead to the root (line-not-in-batch), and another payment’s line', () => {
    const history = events();
    const cheaper = lines[index].map((field, i) => (i === 2 ? '500000.00' : field));
    expect(() => assessPayment(PAYMENT, history, { batchLines: proofOf(history, { line: cheaper }) })).toThrow(
      /^line-not-in-batch: .* does not lead, with its inclusion path, to the version's lines root/,
    );
    const path = tree.pathOf(index).map((hash) => (hash[0] === 'a' ? 'b' : 'a') + hash.slice(1));
    expect(() => assessPayment(PAYMENT, history, { batchLines: proofOf(history, { inclusionPath: path }) })).toThrow(
      EvidenceChainError,
    );
    expect(() =>
      assessPayment(PAYMENT, history, {
        batchLines: proofOf(history, {
          line: lines[1 - index],
          index: 1 - index,
          inclusionPath: tree.pathOf(1 - index),
        }),
      }),
    ).toThrow(`is payment ${OTHER}'s, not ${PAYMENT}'s`);
  });

  it('says the file does not list the payment when the proof carries no line', () => {
    expect(assessPayment(PAYMENT, events()).verdict).toBe('instructed-amount-differs');
  });

  it('holds the file to the signed count and total, and the recorded hash to the header', () => {
    const short = history(
      scheduled,
      createdV2,
      claimedV2,
      approved(),
      file(BATCH, { controlSum: '600000.00' }),
      sent(),
      credited('600000.00', '0.00'),
    );
    expect(assessPayment(PAYMENT, short, { batchLines: proofOf(short) })).toMatchObject({
      verdict: 'bank-file-differs-from-batch',
      discrepancies: [
        expect.stringMatching(/lists 2 payments for 600000.00; the batch version at leaf \d+ has 2 for 900000.00/),
      ],
    });
    const [, , data] = createdV2;
    const rehashed: Step = [BATCH, 'BatchCreated', { ...data, contentHash: 'cd'.repeat(32) }];
    const other = history(scheduled, rehashed, claimedV2, approved(), file(), sent(), credited('600000.00', '0.00'));
    expect(assessPayment(PAYMENT, other, { batchLines: proofOf(other) }).discrepancies[0]).toMatch(
      /the content hash at leaf \d+ \(cdcd.*\) is not the hash of its lines root, count 2 and total 900000.00/,
    );
  });

  it('binds the line to the claim: the record revision and bank the claim read', () => {
    const stale = history(
      scheduled,
      createdV2,
      [claimedV2[0], claimedV2[1], { ...claimedV2[2], beneficiaryRevision: 5 }],
      approved(),
      file(),
      sent(),
      credited('600000.00', '0.00'),
    );
    expect(assessPayment(PAYMENT, stale, { batchLines: proofOf(stale) })).toMatchObject({
      verdict: 'account-not-bound',
      discrepancies: [
        expect.stringMatching(
          /binds the account of the beneficiary's record at revision 4; the claim at leaf \d+ read revision 5/,
        ),
      ],
    });
  });
});
