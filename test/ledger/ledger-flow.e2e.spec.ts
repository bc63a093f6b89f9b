import Decimal from 'decimal.js';
import { http } from '../support/http';
import { Caller, enrolment, LedgerApi, nikOf, startLedgerApi, StoreKind } from './ledger-api';

/**
 * The whole flow from programme to approved batch through HTTP, and each refusal answered with
 * its status and code while writing nothing (the global log's head does not move).
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('ledger through HTTP on %s', (kind) => {
  let ledger: LedgerApi;
  let programmeOfficer: Caller;
  let enrolmentOfficer: Caller;
  let maker: Caller;
  let approverA: Caller;
  let approverB: Caller;
  const programmeId = 'BANTU-UMAK-2026';
  const period = '2026-11';

  beforeAll(async () => {
    // Up to Rp 1 million one approver, above it two: a two-payment batch needs two.
    ledger = await startLedgerApi(kind, { APPROVAL_TIERS: '1000000.00:1,*:2' });
    programmeOfficer = ledger.as('programme-officer');
    enrolmentOfficer = ledger.as('enrolment-officer');
    maker = ledger.as('finance-officer', 'fo-maker');
    approverA = ledger.as('finance-officer', 'fo-approver-a');
    approverB = ledger.as('finance-officer', 'fo-approver-b');
  });
  afterAll(() => ledger?.close());

  /** Runs a refused request and proves it wrote nothing. */
  async function refused(request: () => Promise<{ status: number; body: unknown }>, status: number, code: string) {
    const head = await ledger.store.headPosition();
    const response = await request();
    expect({ status: response.status, code: (response.body as { code?: string }).code }).toEqual({ status, code });
    expect(await ledger.store.headPosition()).toBe(head);
    return response;
  }

  it('runs a programme through enrolment, payments, a batch and four-eyes approval', async () => {
    const created = await programmeOfficer.post('/programmes', {
      code: 'BANTU-UMAK',
      name: 'Bantuan Langsung Tunai Warga Miskin Ekstrem',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    expect(created.status).toBe(201);
    // ProgrammeCreated and, with it, ProgrammeScheduleDeclared (monthly unless asked otherwise)
    // ApprovalPolicyDeclared (the deployment's APPROVAL_TIERS unless asked otherwise) and
    // PersonalDataRetentionDeclared (P10Y unless asked otherwise).
    expect(created.body).toMatchObject({ id: programmeId, revision: 3 });
    expect(typeof created.body.position).toBe('number');

    const beneficiaryIds: string[] = [];
    for (const serial of [1, 2, 3]) {
      const enrolled = await enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(serial));
      expect(enrolled.status).toBe(201);
      beneficiaryIds.push(enrolled.body.id as string);
    }

    await refused(
      () =>
        enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, { ...enrolment(1), name: 'ANOTHER NAME' }),
      409,
      'DUPLICATE_ENROLMENT',
    );

    const paymentIds: string[] = [];
    for (const beneficiaryId of beneficiaryIds) {
      const scheduled = await maker.post('/payments', { programmeId, period, beneficiaryId });
      expect(scheduled.status).toBe(201);
      paymentIds.push(scheduled.body.id as string);
    }
    await refused(
      () => maker.post('/payments', { programmeId, period, beneficiaryId: beneficiaryIds[0] }),
      409,
      'PAYMENT_EXISTS',
    );

    const batch = await maker.post('/batches', { programmeId, period, paymentIds: paymentIds.slice(0, 2) });
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ status: 'pending', count: 2, controlSum: '1200000.00', requiredApprovals: 2 });
    const batchId = batch.body.id as string;
    const firstHash = batch.body.contentHash as string;

    await refused(
      () => maker.post(`/batches/${batchId}/approvals`, { contentHash: firstHash }),
      403,
      'MAKER_CANNOT_APPROVE',
    );
    await refused(
      () => maker.post('/batches', { programmeId, period, paymentIds: [paymentIds[2], paymentIds[0]] }),
      409,
      'PAYMENT_ALREADY_BATCHED',
    );
    await refused(
      () => approverA.post(`/batches/${batchId}/approvals`, { contentHash: 'a'.repeat(64) }),
      409,
      'BATCH_CHANGED',
    );

    const firstApproval = await approverA.post(`/batches/${batchId}/approvals`, { contentHash: firstHash });
    expect(firstApproval.status).toBe(200);
    expect(firstApproval.body).toMatchObject({ status: 'pending', approverIds: ['fo-approver-a'] });
    await refused(
      () => approverA.post(`/batches/${batchId}/approvals`, { contentHash: firstHash }),
      409,
      'ALREADY_APPROVED',
    );

    // The maker takes one payment out: new content, new hash, the earlier approval no longer counts.
    const changed = await maker.post(`/batches/${batchId}/removals`, {
      paymentIds: [paymentIds[1]],
      reason: 'account under review',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ count: 1, controlSum: '600000.00', requiredApprovals: 1, approverIds: [] });
    const secondHash = changed.body.contentHash as string;
    expect(secondHash).not.toBe(firstHash);
    await refused(
      () => approverB.post(`/batches/${batchId}/approvals`, { contentHash: firstHash }),
      409,
      'BATCH_CHANGED',
    );

    const approved = await approverB.post(`/batches/${batchId}/approvals`, { contentHash: secondHash });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approverIds: ['fo-approver-b'] });

    const programme = await programmeOfficer.get(`/programmes/${programmeId}`);
    expect(programme.body).toMatchObject({
      budget: { ceiling: '100000000.00', reserved: '600000.00', released: '0.00', remaining: '99400000.00' },
    });
    const removedPayment = await maker.get(`/payments/${paymentIds[1]}`);
    expect(removedPayment.body).toMatchObject({ status: 'scheduled', batchId: null });
    const batchedPayment = await maker.get(`/payments/${paymentIds[0]}`);
    expect(batchedPayment.body).toMatchObject({ status: 'batched', batchId, amount: '600000.00' });
  });

  it('lists from the read models, reading its own writes through minPosition, page by page', async () => {
    const last = await enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(30));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `programmeId=${programmeId}&regionCodePrefix=16.06&limit=2&minPosition=${last.body.position}${
        cursor ? `&cursor=${cursor}` : ''
      }`;
      const page = await maker.get<{ items: Array<{ beneficiaryId: string; nik: string }>; nextCursor: string | null }>(
        `/beneficiaries?${query}`,
      );
      expect(page.status).toBe(200);
      for (const item of page.body.items) expect(item.nik).toMatch(/^1606\*{8}\d{4}$/);
      seen.push(...page.body.items.map((item) => item.beneficiaryId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toContain(last.body.id);
    expect(new Set(seen).size).toBe(seen.length);

    const payments = await maker.get<{ items: Array<{ status: string }> }>(
      `/payments?programmeId=${programmeId}&period=${period}&status=batched&minPosition=${last.body.position}`,
    );
    expect(payments.body.items).toHaveLength(1);
    const status = await ledger.as('admin').get<Array<{ name: string; position: number }>>('/projections/status');
    expect(status.body.map((projection) => projection.name)).toContain('programmes');
    expect((await maker.get('/payments?status=paid')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('closing a batch returns its payments to the pool and releases its budget', async () => {
    const beneficiary = await enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(50));
    const payment = await maker.post('/payments', { programmeId, period, beneficiaryId: beneficiary.body.id });
    const before = (await programmeOfficer.get(`/programmes/${programmeId}`)).body.budget as {
      reserved: string;
      released: string;
    };

    const batch = await maker.post('/batches', { programmeId, period, paymentIds: [payment.body.id] });
    const batchId = batch.body.id as string;
    await approverA.post(`/batches/${batchId}/approvals`, { contentHash: batch.body.contentHash });
    const budget = async () =>
      (await programmeOfficer.get(`/programmes/${programmeId}`)).body.budget as { reserved: string; released: string };
    const held = (figures: { reserved: string; released: string }) =>
      new Decimal(figures.reserved).minus(figures.released).toFixed(2);
    expect(new Decimal(held(await budget())).minus(held(before)).toFixed(2)).toBe('600000.00');

    await refused(
      () => maker.post(`/batches/${batchId}/rejection`, { reason: 'my own mistake' }),
      403,
      'MAKER_CANNOT_REJECT',
    );
    const rejected = await approverB.post(`/batches/${batchId}/rejection`, { reason: 'wrong account list used' });
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    expect((await maker.get(`/payments/${payment.body.id}`)).body).toMatchObject({
      status: 'scheduled',
      batchId: null,
    });
    expect(held(await budget())).toBe(held(before));

    // The payment can be batched again, and this time the maker withdraws the batch.
    const again = await maker.post('/batches', { programmeId, period, paymentIds: [payment.body.id] });
    expect(again.status).toBe(201);
    const cancelled = await maker.post(`/batches/${again.body.id}/cancellation`, { reason: 'round postponed' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await maker.get(`/payments/${payment.body.id}`)).body).toMatchObject({ status: 'scheduled' });
    await refused(
      () => approverA.post(`/batches/${again.body.id}/approvals`, { contentHash: again.body.contentHash }),
      422,
      'BATCH_NOT_PENDING',
    );
  });

  it('records who asked, the correlation id and the request as cause on every event', async () => {
    const response = await enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(31), {
      'x-correlation-id': 'round-2026-11-enrolment',
    });
    const [event] = await collect(ledger.store.readStream(`beneficiary-${response.body.id}`));
    expect(event.metadata).toMatchObject({
      actor: { userId: 'enrolment-officer-1', role: 'enrolment-officer' },
      correlationId: 'round-2026-11-enrolment',
      schemaVersion: 1,
    });
    expect(typeof event.metadata.causationId).toBe('string');
    expect(response.headers['x-correlation-id']).toBe('round-2026-11-enrolment');
  });

  it('masks NIK, KK and account numbers for roles that do not need them', async () => {
    const enrolled = await enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(40));
    const path = `/beneficiaries/${enrolled.body.id}`;

    const asEnrolmentOfficer = (await enrolmentOfficer.get(path)).body;
    const asFinanceOfficer = (await maker.get(path)).body;
    const asInspector = (await ledger.as('inspector').get(path)).body;
    const asGrantedInspector = (await ledger.as('inspector', 'inspector-2', ['pii']).get(path)).body;
    const asBankJob = (await ledger.as('bank-integration').get(path)).body;

    expect(asEnrolmentOfficer).toMatchObject({ nik: nikOf(40), masked: false });
    expect(asFinanceOfficer).toMatchObject({ nik: '1606********0040', kk: '1606********0001', masked: true });
    expect((asFinanceOfficer.bankAccount as { accountNumber: string }).accountNumber).toBe('0019*******0040');
    expect(asInspector).toMatchObject({ nik: '1606********0040', masked: true });
    expect(asGrantedInspector).toMatchObject({ nik: nikOf(40), masked: false });
    expect(asBankJob).toMatchObject({ nik: '1606********0040' });
    expect((asBankJob.bankAccount as { accountNumber: string }).accountNumber).toBe('001901000000040');
  });

  it('refuses bad input with the field and the reason, and inspectors never write', async () => {
    const numberAmount = await refused(
      () =>
        programmeOfficer.post('/programmes', {
          code: 'PKH',
          name: 'PKH',
          fiscalYear: 2026,
          budgetCeiling: 1_000_000,
          benefitAmount: '1e5',
          currency: 'IDR',
        }),
      400,
      'VALIDATION_FAILED',
    );
    const fields = (numberAmount.body as { errors: Array<{ field: string }> }).errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['budgetCeiling', 'benefitAmount']));
    await refused(
      () =>
        enrolmentOfficer.post(`/programmes/${programmeId}/beneficiaries`, {
          ...enrolment(41),
          nik: '1606013202850001',
        }),
      400,
      'INVALID_NIK',
    );
    await refused(() => ledger.as('inspector').post('/programmes', {}), 403, 'ROLE_NOT_ALLOWED');
  });

  it('enrols a registry extract row by row, and a re-post enrols nobody twice', async () => {
    const rows = [enrolment(101), enrolment(102), { ...enrolment(103), nik: '1606019999850003' }, enrolment(1)];
    const csv = [
      'nik,kk,name,region_code,bank_code,account_number,account_holder_name',
      ...rows.map((row) =>
        [
          row.nik,
          row.kk,
          row.name,
          row.regionCode,
          row.bankAccount.bankCode,
          row.bankAccount.accountNumber,
          row.bankAccount.accountHolderName,
        ].join(','),
      ),
    ].join('\n');
    const post = () =>
      rawCsv(ledger, `/programmes/${programmeId}/beneficiaries/bulk`, csv, ledger.api.token('enrolment-officer'));

    const first = await post();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 4, enrolled: 2, alreadyEnrolled: 1, rejected: 1 });
    expect(first.body.results[2]).toMatchObject({ row: 4, status: 'rejected', code: 'INVALID_NIK', field: 'nik' });

    const withKey = await rawCsv(
      ledger,
      `/programmes/${programmeId}/beneficiaries/bulk`,
      csv,
      ledger.api.token('enrolment-officer'),
      {
        'idempotency-key': 'extract-1',
      },
    );
    expect(withKey).toMatchObject({ status: 400, body: { code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED' } });

    const head = await ledger.store.headPosition();
    const second = await post();
    expect(second.body).toMatchObject({ rows: 4, enrolled: 0, alreadyEnrolled: 3, rejected: 1 });
    expect(await ledger.store.headPosition()).toBe(head);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function rawCsv(ledger: LedgerApi, path: string, csv: string, token: string, headers: Record<string, string> = {}) {
  return http<{ results: Array<Record<string, unknown>> } & Record<string, unknown>>(
    'POST',
    `${ledger.api.url}${path}`,
    {
      rawBody: csv,
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}`, ...headers },
    },
  );
}
