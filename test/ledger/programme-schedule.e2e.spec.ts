import { randomUUID } from 'node:crypto';
import { enrolment, LedgerApi, startLedgerApi, StoreKind } from './ledger-api';

const programme = (code: string, schedule?: Record<string, unknown>) => ({
  code,
  name: `Program ${code}`,
  fiscalYear: 2026,
  budgetCeiling: '100000000.00',
  benefitAmount: '600000.00',
  currency: 'IDR',
  ...(schedule ? { schedule } : {}),
});

/**
 * Payments name one period the programme declared: monthly (the default), quarterly or one-off,
 * inside its fiscal year, one kind per programme, so a month and its quarter are never both paid.
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('the programme schedule through HTTP on %s', (kind) => {
  let ledger: LedgerApi;

  beforeAll(async () => {
    ledger = await startLedgerApi(kind);
  });
  afterAll(() => ledger?.close());

  async function beneficiaryOf(programmeId: string, serial: number): Promise<string> {
    const enrolled = await ledger
      .as('enrolment-officer')
      .post(`/programmes/${programmeId}/beneficiaries`, enrolment(serial));
    expect(enrolled.status).toBe(201);
    return enrolled.body.id as string;
  }
  const pay = (programmeId: string, period: string, beneficiaryId: string) =>
    ledger.as('programme-officer').post('/payments', { programmeId, period, beneficiaryId });

  it('pays the months of a monthly programme and refuses its quarters and other years', async () => {
    expect((await ledger.as('programme-officer').post('/programmes', programme('PKH'))).status).toBe(201);
    const read = await ledger.as('programme-officer').get('/programmes/PKH-2026');
    expect(read.body.schedule).toEqual({
      kind: 'monthly',
      periods: Array.from({ length: 12 }, (_, month) => `2026-${String(month + 1).padStart(2, '0')}`),
    });
    const beneficiaryId = await beneficiaryOf('PKH-2026', 1);

    expect((await pay('PKH-2026', '2026-11', beneficiaryId)).status).toBe(201);
    for (const period of ['2026-Q4', '2027-01', '2026-ONE']) {
      const refused = await pay('PKH-2026', period, beneficiaryId);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'PERIOD_NOT_DECLARED', field: 'period' });
    }
    const malformed = await pay('PKH-2026', '2026-13', beneficiaryId);
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/must be a period/);
  });

  it('pays the quarters of a quarterly programme and the one period of a one-off', async () => {
    const officer = ledger.as('programme-officer');
    expect((await officer.post('/programmes', programme('BLT', { kind: 'quarterly' }))).status).toBe(201);
    expect((await officer.post('/programmes', programme('THR', { kind: 'one-off', name: 'LEBARAN' }))).status).toBe(
      201,
    );
    const quarterly = await beneficiaryOf('BLT-2026', 2);
    const oneOff = await beneficiaryOf('THR-2026', 3);

    expect((await pay('BLT-2026', '2026-Q4', quarterly)).status).toBe(201);
    expect((await pay('BLT-2026', '2026-11', quarterly)).body).toMatchObject({ code: 'PERIOD_NOT_DECLARED' });
    expect((await pay('THR-2026', '2026-LEBARAN', oneOff)).status).toBe(201);
    expect((await pay('THR-2026', '2026-ONE', oneOff)).body).toMatchObject({ code: 'PERIOD_NOT_DECLARED' });

    // Declared once: another kind would let a month and its quarter both be paid.
    const changed = await officer.post('/programmes/BLT-2026/schedule', { kind: 'monthly' });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ code: 'SCHEDULE_ALREADY_DECLARED' });
    expect((await officer.post('/programmes', programme('BAD', { kind: 'weekly' }))).status).toBe(400);
  });

  it('lets a programme created before schedules declare one, keeping the periods it paid', async () => {
    // A programme as the ledger recorded it before schedules were facts, with one payment of 2026-10.
    const programmeId = 'LAMA-2026';
    const at = '2026-10-01T00:00:00.000Z';
    const metadata = { actor: { userId: 'po-1', role: 'programme-officer' } };
    const terms = programme('LAMA');
    await ledger.store.append(`programme-${programmeId}`, [
      { id: randomUUID(), type: 'ProgrammeCreated', data: { ...terms, programmeId, createdBy: 'po-1', at }, metadata },
    ]);
    const beneficiaryId = await beneficiaryOf(programmeId, 4);
    const paymentId = randomUUID();
    await ledger.store.append(`payment-${paymentId}`, [
      {
        id: randomUUID(),
        type: 'PaymentScheduled',
        data: {
          paymentId,
          programmeId,
          period: '2026-10',
          beneficiaryId,
          amount: '600000.00',
          scheduledBy: 'po-1',
          at,
        },
        metadata,
      },
    ]);
    const officer = ledger.as('programme-officer');
    expect((await officer.get(`/programmes/${programmeId}`)).body.schedule).toBeNull();
    expect((await pay(programmeId, '2026-11', beneficiaryId)).body).toMatchObject({ code: 'PERIOD_NOT_DECLARED' });

    const dropping = await officer.post(`/programmes/${programmeId}/schedule`, { kind: 'quarterly' });
    expect(dropping.status).toBe(422);
    expect(dropping.body).toMatchObject({ code: 'SCHEDULE_DROPS_USED_PERIOD' });
    expect((await officer.post(`/programmes/${programmeId}/schedule`, { kind: 'monthly' })).status).toBe(200);
    expect((await officer.get(`/programmes/${programmeId}`)).body.schedule).toMatchObject({ kind: 'monthly' });
    expect((await pay(programmeId, '2026-11', beneficiaryId)).status).toBe(201);
  });

  it('declares its approval policy as a fact: a batch started after a new policy needs what the new one asks', async () => {
    const officer = ledger.as('programme-officer');
    const twoAlways = { tiers: [{ upTo: null, approvers: 2 }] };
    expect((await officer.post('/programmes', programme('ASN'))).status).toBe(201);
    const first = await beneficiaryOf('ASN-2026', 5);
    const second = await beneficiaryOf('ASN-2026', 6);
    const firstPayment = (await pay('ASN-2026', '2026-11', first)).body.id as string;
    const secondPayment = (await pay('ASN-2026', '2026-11', second)).body.id as string;
    const batchOf = (paymentId: string) =>
      ledger
        .as('finance-officer', 'fo-maker')
        .post('/batches', { programmeId: 'ASN-2026', period: '2026-11', paymentIds: [paymentId] });

    // The deployment's default, recorded with the programme: one approver up to Rp 500 million.
    expect((await batchOf(firstPayment)).body).toMatchObject({ requiredApprovals: 1 });
    const declared = await officer.post('/programmes/ASN-2026/approval-policy', twoAlways);
    expect(declared.status).toBe(200);
    expect((await batchOf(secondPayment)).body).toMatchObject({ requiredApprovals: 2 });
    // The same policy again changes nothing; a policy without an unbounded last tier is refused.
    expect((await officer.post('/programmes/ASN-2026/approval-policy', twoAlways)).body).toMatchObject({
      revision: declared.body.revision,
    });
    const unbounded = await officer.post('/programmes/ASN-2026/approval-policy', {
      tiers: [{ upTo: '1000000.00', approvers: 1 }],
    });
    expect(unbounded.status).toBe(400);
    expect(unbounded.body).toMatchObject({ code: 'INVALID_APPROVAL_POLICY', field: 'approvalPolicy' });
  });
});
