import { ERASED_VALUE } from '@salur/kernel';
import { PersonalDataVault } from '@salur/personal-data';
import { Caller, enrolment, LedgerApi, startLedgerApi, StoreKind } from '../ledger/ledger-api';

/**
 * Issue 18: erasure of a beneficiary's personal data (UU 27/2022) under four eyes, once the
 * programme's retention counted from the exit has run out. The approval records BeneficiaryErased
 * and deletes the beneficiary's key, after which every sealed field of theirs reads '[erased]'.
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('erasing a beneficiary on %s', (kind) => {
  let ledger: LedgerApi;
  let adminA: Caller;
  let adminB: Caller;
  let officer: Caller;
  const reason = { reason: 'the data subject asked for deletion, letter 2026/17' };

  beforeAll(async () => {
    ledger = await startLedgerApi(kind);
    adminA = ledger.as('admin', 'admin-a');
    adminB = ledger.as('admin', 'admin-b');
    officer = ledger.as('enrolment-officer');
  });
  afterAll(() => ledger?.close());

  async function programme(code: string, personalDataRetention?: string): Promise<string> {
    const created = await ledger.as('programme-officer').post('/programmes', {
      code,
      name: `Programme ${code}`,
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
      ...(personalDataRetention ? { personalDataRetention } : {}),
    });
    expect(created.status).toBe(201);
    return `${code}-2026`;
  }

  async function enrolled(programmeId: string, serial: number): Promise<string> {
    const response = await officer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(serial));
    expect(response.status).toBe(201);
    return String(response.body.id);
  }

  async function exited(beneficiaryId: string): Promise<void> {
    expect((await officer.post(`/beneficiaries/${beneficiaryId}/exit`, { reason: 'moved' })).status).toBe(200);
  }

  /** The answer's status and code, and that the log did not move. */
  async function refused(caller: Caller, path: string, body?: unknown) {
    const head = await ledger.store.headPosition();
    const response = await caller.post<{ code?: string }>(path, body);
    expect(await ledger.store.headPosition()).toBe(head);
    return { status: response.status, code: response.body.code };
  }

  it('erases under four eyes after a P0D retention: every personal field reads [erased], the key is gone', async () => {
    const programmeId = await programme('HAPUS', 'P0D');
    expect((await adminA.get(`/programmes/${programmeId}`)).body).toMatchObject({ personalDataRetention: 'P0D' });
    const beneficiaryId = await enrolled(programmeId, 1);
    await exited(beneficiaryId);

    expect((await adminA.post(`/beneficiaries/${beneficiaryId}/erasure`, reason)).status).toBe(200);
    expect(await refused(adminA, `/beneficiaries/${beneficiaryId}/erasure/approval`)).toEqual({
      status: 403,
      code: 'FOUR_EYES_REQUIRED',
    });
    // The requester under another spelling of their id is still the requester.
    const spelt = ledger.as('admin', 'ADMIN-A ');
    expect(await refused(spelt, `/beneficiaries/${beneficiaryId}/erasure/approval`)).toEqual({
      status: 403,
      code: 'FOUR_EYES_REQUIRED',
    });
    expect(await refused(officer, `/beneficiaries/${beneficiaryId}/erasure/approval`)).toMatchObject({ status: 403 });

    const approved = await adminB.post(`/beneficiaries/${beneficiaryId}/erasure/approval`);
    expect(approved.status).toBe(200);

    const vault = ledger.api.app.get(PersonalDataVault);
    expect(await vault.holdsKey(`beneficiary-${beneficiaryId}`)).toBe(false);
    for (const viewer of [adminA, ledger.as('finance-officer')]) {
      const view = await viewer.get(`/beneficiaries/${beneficiaryId}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        status: 'erased',
        nik: ERASED_VALUE,
        kk: ERASED_VALUE,
        name: ERASED_VALUE,
        bankAccount: { accountNumber: ERASED_VALUE, accountHolderName: ERASED_VALUE },
      });
    }
    // The requester's reason was the person's data too: it reads [erased] in the log.
    const events = [];
    for await (const event of ledger.store.readStream(`beneficiary-${beneficiaryId}`)) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'BeneficiaryEnrolled',
      'BeneficiaryExited',
      'BeneficiaryErasureRequested',
      'BeneficiaryErased',
    ]);
    expect(events[2].data).toMatchObject({ reason: ERASED_VALUE, requestedBy: 'admin-a' });
    expect(events[3].data).toMatchObject({ requestedBy: 'admin-a', approvedBy: 'admin-b', retention: 'P0D' });

    // Erased is final: every later command is refused and writes nothing.
    expect(await refused(adminB, `/beneficiaries/${beneficiaryId}/erasure/approval`)).toEqual({
      status: 422,
      code: 'BENEFICIARY_ERASED',
    });
    expect(await refused(officer, `/beneficiaries/${beneficiaryId}/suspension`, { reason: 'check' })).toEqual({
      status: 422,
      code: 'BENEFICIARY_ERASED',
    });
  });

  it('refuses while a P5Y retention runs', async () => {
    const programmeId = await programme('SIMPAN', 'P5Y');
    const beneficiaryId = await enrolled(programmeId, 2);
    await exited(beneficiaryId);
    expect(await refused(adminA, `/beneficiaries/${beneficiaryId}/erasure`, reason)).toEqual({
      status: 422,
      code: 'RETENTION_RUNNING',
    });
  });

  it('keeps P10Y when the programme declares nothing', async () => {
    const programmeId = await programme('BAWAAN');
    expect((await adminA.get(`/programmes/${programmeId}`)).body).toMatchObject({ personalDataRetention: 'P10Y' });
  });

  it('refuses an active beneficiary, and one whose payment is still in a batch', async () => {
    const programmeId = await programme('AKTIF', 'P0D');
    const active = await enrolled(programmeId, 3);
    expect(await refused(adminA, `/beneficiaries/${active}/erasure`, reason)).toEqual({
      status: 422,
      code: 'BENEFICIARY_NOT_EXITED',
    });

    const maker = ledger.as('finance-officer', 'fo-maker');
    const payment = await maker.post('/payments', { programmeId, period: '2026-11', beneficiaryId: active });
    expect(payment.status).toBe(201);
    const batch = await maker.post('/batches', { programmeId, period: '2026-11', paymentIds: [payment.body.id] });
    expect(batch.status).toBe(201);
    await exited(active);
    expect(await refused(adminA, `/beneficiaries/${active}/erasure`, reason)).toEqual({
      status: 422,
      code: 'PAYMENTS_NOT_FINAL',
    });
  });

  it('refuses the request to anyone but an admin', async () => {
    const programmeId = await programme('PERAN', 'P0D');
    const beneficiaryId = await enrolled(programmeId, 4);
    await exited(beneficiaryId);
    expect(await refused(officer, `/beneficiaries/${beneficiaryId}/erasure`, reason)).toMatchObject({ status: 403 });
  });
});
