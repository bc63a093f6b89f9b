import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { PaymentEvent, paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { bearer, TEST_JWT_SECRET } from '../http/support/test-api';
import { http } from '../support/http';
import { Caller, enrolment, LedgerApi, startLedgerApi, StoreKind } from './ledger-api';

/**
 * Issue 12: tokens for `FO-MAKER` and `fo-maker ` approved `fo-maker`'s own batch and reversal.
 * User ids are canonical from the edge on, so every spelling of the maker is the maker: whether the
 * token came from the issuer (which canonicalises) or was signed elsewhere with the right key
 * (which the verifier canonicalises).
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('four eyes over spellings of one user id on %s', (kind) => {
  let ledger: LedgerApi;
  let maker: Caller;
  let approver: Caller;
  const programmeId = 'BANTU-UMAK-2026';
  const period = '2026-11';

  beforeAll(async () => {
    ledger = await startLedgerApi(kind);
    maker = ledger.as('finance-officer', 'fo-maker');
    approver = ledger.as('finance-officer', 'fo-approver');
    const created = await ledger.as('programme-officer').post('/programmes', {
      code: 'BANTU-UMAK',
      name: 'Bantuan Langsung Tunai Warga Miskin Ekstrem',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => ledger?.close());

  /** A finance officer's token for `sub` exactly as given, signed with the server's key but not by its issuer. */
  const signedFor = (sub: string) =>
    new JwtService({ secret: TEST_JWT_SECRET }).sign(
      { sub, role: 'finance-officer', iss: 'salur' },
      { algorithm: 'HS256', expiresIn: 600 },
    );
  const issuedFor = (userId: string) => ledger.api.tokens.issue({ userId, role: 'finance-officer', ttlSeconds: 600 });
  const makerSpellings = () => [
    ['issued for FO-MAKER', issuedFor('FO-MAKER')],
    ['issued for "fo-maker "', issuedFor('fo-maker ')],
    ['signed for FO-MAKER', signedFor('FO-MAKER')],
    ['signed for "fo-maker "', signedFor('fo-maker ')],
    ['signed for fo-maker', signedFor('fo-maker')],
  ];
  const postAs = (token: string, path: string, body?: unknown) =>
    http<{ code?: string }>('POST', `${ledger.api.url}${path}`, { body, headers: bearer(token) });

  /** Every spelling of the maker is refused with `code`, and the log does not move. */
  async function refusedForEverySpelling(path: string, body: unknown, code: string, status: number) {
    for (const [spelling, token] of makerSpellings()) {
      const head = await ledger.store.headPosition();
      const response = await postAs(token, path, body);
      expect({ spelling, status: response.status, code: response.body.code }).toEqual({ spelling, status, code });
      expect(await ledger.store.headPosition()).toBe(head);
    }
  }

  it("refuses fo-maker's batch to the maker under every spelling, and records the maker canonically", async () => {
    const enrolled = await ledger
      .as('enrolment-officer')
      .post(`/programmes/${programmeId}/beneficiaries`, enrolment(1));
    expect(enrolled.status).toBe(201);
    const payment = await maker.post('/payments', { programmeId, period, beneficiaryId: enrolled.body.id });
    expect(payment.status).toBe(201);
    // The maker makes the batch with a token signed for " FO-Maker": it is recorded as fo-maker.
    const batch = await postAs(signedFor(' FO-Maker'), '/batches', {
      programmeId,
      period,
      paymentIds: [payment.body.id],
    });
    expect(batch.status).toBe(201);
    const { id: batchId, contentHash } = batch.body as { id: string; contentHash: string };

    for await (const event of ledger.store.readStream(`batch-${batchId}`)) {
      expect(event.metadata).toMatchObject({ actor: { userId: 'fo-maker' } });
      if ('makerId' in event.data) expect(event.data.makerId).toBe('fo-maker');
    }
    await refusedForEverySpelling(`/batches/${batchId}/approvals`, { contentHash }, 'MAKER_CANNOT_APPROVE', 403);

    const approved = await approver.post(`/batches/${batchId}/approvals`, { contentHash });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approverIds: ['fo-approver'] });
  });

  it("refuses fo-maker's reversal request to the maker under every spelling", async () => {
    const paymentId = await seedCreditedPayment(ledger);
    const reason = 'credited to a deceased beneficiary';
    const requested = await maker.post(`/payments/${paymentId}/reversal-request`, { reason });
    expect(requested.status).toBe(200);
    // The same request under another spelling is the same officer's retry: nothing new is written.
    const head = await ledger.store.headPosition();
    expect((await postAs(signedFor('FO-MAKER'), `/payments/${paymentId}/reversal-request`, { reason })).status).toBe(
      200,
    );
    expect(await ledger.store.headPosition()).toBe(head);

    await refusedForEverySpelling(`/payments/${paymentId}/reversal-approval`, undefined, 'FOUR_EYES_REQUIRED', 403);

    const reversed = await approver.post(`/payments/${paymentId}/reversal-approval`);
    expect(reversed.status).toBe(200);
    const events = [];
    for await (const event of ledger.store.readStream(paymentStreamName(paymentId))) events.push(event);
    expect(events.at(-1)).toMatchObject({
      type: 'PaymentReversed',
      data: { requestedBy: 'fo-maker', approvedBy: 'fo-approver' },
    });
  });
});

/** A payment the bank credited in full, as the bank jobs would have left it; its id. */
async function seedCreditedPayment(ledger: LedgerApi): Promise<string> {
  const beneficiaryId = randomUUID();
  const paymentId = paymentIdFor('BANTU-UMAK-2026', '2026-11', beneficiaryId);
  const batchId = randomUUID();
  const at = '2026-11-27T09:00:00.000Z';
  const account = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };
  const events: PaymentEvent[] = [
    {
      type: 'PaymentScheduled',
      data: {
        paymentId,
        programmeId: 'BANTU-UMAK-2026',
        period: '2026-11',
        beneficiaryId,
        amount: '600000.00',
        scheduledBy: 'po',
        at,
      },
    },
    { type: 'PaymentBatched', data: { paymentId, batchId, account, attempt: 1, at } },
    { type: 'PaymentSentToBank', data: { paymentId, batchId, at } },
    {
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
    },
  ];
  await ledger.store.append(
    paymentStreamName(paymentId),
    events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data })),
    { expectedRevision: 'no_stream' },
  );
  return paymentId;
}
