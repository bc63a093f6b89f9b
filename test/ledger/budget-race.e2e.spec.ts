import { Caller, enrolment, LedgerApi, startLedgerApi, StoreKind } from './ledger-api';

/**
 * 20 batches of one payment each (Rp 600,000), a ceiling that fits 8 of them, and 20 approvals
 * fired at once by different approvers. The reservation goes through the programme stream's
 * expected revision, so however the requests interleave, the reserved sum never passes the
 * ceiling, and once the losers of each race have retried, exactly 8 are approved.
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('concurrent approvals against the budget on %s', (kind) => {
  let ledger: LedgerApi;
  const programmeId = 'PKH-2026';
  const period = '2026-Q4';
  const batches = 20;
  const fits = 8;

  beforeAll(async () => {
    ledger = await startLedgerApi(kind);
  });
  afterAll(() => ledger?.close());

  it(`approves exactly ${fits} of ${batches} and never reserves past the ceiling`, async () => {
    await ledger.as('programme-officer').post('/programmes', {
      code: 'PKH',
      name: 'Program Keluarga Harapan',
      fiscalYear: 2026,
      budgetCeiling: (fits * 600_000).toFixed(2),
      benefitAmount: '600000.00',
      currency: 'IDR',
      schedule: { kind: 'quarterly' },
    });
    const maker = ledger.as('finance-officer', 'maker');
    const enrolmentOfficer = ledger.as('enrolment-officer');
    const made: Array<{ batchId: string; contentHash: string }> = [];
    for (let serial = 1; serial <= batches; serial++) {
      const beneficiary = await enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(serial));
      const payment = await maker.post('/payments', { programmeId, period, beneficiaryId: beneficiary.body.id });
      const batch = await maker.post('/batches', { programmeId, period, paymentIds: [payment.body.id] });
      expect(batch.status).toBe(201);
      made.push({ batchId: batch.body.id as string, contentHash: batch.body.contentHash as string });
    }

    const approvers: Caller[] = made.map((_, index) => ledger.as('finance-officer', `approver-${index}`));
    const answers = await Promise.all(
      made.map(({ batchId, contentHash }, index) =>
        approvers[index].post(`/batches/${batchId}/approvals`, { contentHash }),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(fits);
    expect(answers.filter((answer) => answer.status === 422).map((answer) => answer.body.code)).toEqual(
      Array(batches - fits).fill('BUDGET_EXCEEDED'),
    );
    const programme = await ledger.as('programme-officer').get(`/programmes/${programmeId}`);
    expect(programme.body).toMatchObject({
      budget: { ceiling: '4800000.00', reserved: '4800000.00', released: '0.00', remaining: '0.00' },
    });
    const states = await Promise.all(made.map(({ batchId }) => maker.get(`/batches/${batchId}`)));
    expect(states.filter((state) => state.body.status === 'approved')).toHaveLength(fits);
  });
});
