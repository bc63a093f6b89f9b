import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@salur/event-store';
import {
  ProjectionEngine,
  ProjectionStatusService,
  projectInMemory,
  READ_MODEL_DATABASE,
  type ReadModelDatabase,
} from '@salur/projections';
import { enrolment, LedgerApi, nikOf, startLedgerApi, StoreKind } from '../ledger/ledger-api';
import { dumpTables, expectedTables, readLog } from './support/engine-harness';
import { DECEMBER, FullRound, NOVEMBER, OTHER_KK, PROGRAMME_ID, runFullRound } from './support/full-round';
import { auditTrailProjection } from '@salur/audit-log';
import { balancesProjection } from '@salur/payments';
import { LEDGER_PROJECTIONS } from '@salur/ledger';

type Json = Record<string, unknown>;
type PageOf<Item> = { items: Item[]; nextCursor: string | null };

const ZERO = '0.00';
const FIGURES = {
  waiting: ZERO,
  inFlight: ZERO,
  credited: ZERO,
  awaitingReissue: ZERO,
  reversed: ZERO,
  deducted: ZERO,
};

/**
 * The ledger's read models through the API after a full round (see runFullRound), on both
 * dialects: figures computed by hand, the tables equal to the pure fold of the log, audit
 * queries, masking by role with every unmasked read recorded, CSV, and point-in-time reads.
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('read models of a full round on %s', (kind) => {
  let ledger: LedgerApi;
  let round: FullRound;
  const inspector = () => ledger.as('inspector', 'insp-plain');
  const piiInspector = () => ledger.as('inspector', 'insp-pii', ['pii']);

  beforeAll(async () => {
    ledger = await startLedgerApi(kind);
    round = await runFullRound(ledger);
  });
  afterAll(() => ledger?.close());

  const get = async <T = Json>(caller: ReturnType<LedgerApi['as']>, path: string): Promise<T> => {
    const response = await caller.get<T>(path);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.text}`);
    return response.body;
  };

  it('shows each beneficiary balance as computed by hand, with the payments behind each figure', async () => {
    const page = await get<PageOf<Json>>(
      ledger.as('finance-officer'),
      `/balances?programmeId=${PROGRAMME_ID}&minPosition=${round.head}`,
    );
    const byBeneficiary = new Map(page.items.map((item) => [item.beneficiaryId, item]));
    const balance = (n: number) => byBeneficiary.get(round.beneficiaryIds[n - 1]);
    const row = (figures: Json, payments = 1) => ({ ...FIGURES, payments, ...figures });
    expect(page.items).toHaveLength(6);
    // 1: November credited, December waiting for a batch.
    expect(balance(1)).toMatchObject(
      row({ approved: '1200000.00', credited: '600000.00', waiting: '600000.00', outstanding: '600000.00' }, 2),
    );
    // 2: rejected, reissued to a fixed account, credited in the second batch.
    expect(balance(2)).toMatchObject(row({ approved: '600000.00', credited: '600000.00', outstanding: ZERO }));
    // 3: credited, returned, reissued: in flight again.
    expect(balance(3)).toMatchObject(row({ approved: '600000.00', inFlight: '600000.00', outstanding: '600000.00' }));
    // 4: credited Rp 2,500 short: the deduction shows and is still owed.
    expect(balance(4)).toMatchObject(
      row({ approved: '600000.00', credited: '597500.00', deducted: '2500.00', outstanding: '2500.00' }),
    );
    // 5: credited, then reversed: nothing on the account, nothing owed.
    expect(balance(5)).toMatchObject(row({ approved: '600000.00', reversed: '600000.00', outstanding: ZERO }));
    // 6: rejected, not reissued yet.
    expect(balance(6)).toMatchObject(
      row({ approved: '600000.00', awaitingReissue: '600000.00', outstanding: '600000.00' }),
    );

    const fourth = balance(4)?.paymentList as Json[];
    expect(fourth).toEqual([
      expect.objectContaining({
        id: round.payments[3],
        status: 'credited',
        figures: { approved: '600000.00', credited: '597500.00', deducted: '2500.00', outstanding: '2500.00' },
      }),
    ]);
    const first = balance(1)?.paymentList as Json[];
    expect(first.map((payment) => [payment.period, payment.status])).toEqual([
      [NOVEMBER, 'credited'],
      [DECEMBER, 'scheduled'],
    ]);
  });

  it('shows the budget, the round and the batches as computed by hand', async () => {
    const officer = ledger.as('programme-officer');
    // Each read model catches up on its own; read every one after the round's last event.
    const after = `minPosition=${round.head}`;
    expect(await get(officer, `/budgets/${PROGRAMME_ID}?${after}`)).toMatchObject({
      ceiling: '100000000.00',
      reserved: '4800000.00',
      released: ZERO,
      // 1, 2 and 4 (short) are on their accounts; 3 was returned, 5 reversed.
      credited: '1797500.00',
      remaining: '95200000.00',
    });
    expect(await get(officer, `/rounds/${PROGRAMME_ID}/${NOVEMBER}?${after}`)).toMatchObject({
      payments: 6,
      scheduled: 0,
      batched: 0,
      approved: 0,
      sent: 1,
      credited: 3,
      rejected: 1,
      returned: 0,
      reissued: 0,
      reversed: 1,
    });
    expect(await get(officer, `/rounds/${PROGRAMME_ID}/${DECEMBER}`)).toMatchObject({ payments: 1, scheduled: 1 });
    expect((await officer.get(`/rounds/${PROGRAMME_ID}/2027-01`)).status).toBe(404);

    const bankJob = ledger.as('bank-integration');
    expect(await get(bankJob, `/batch-views/${round.firstBatch}?${after}`)).toMatchObject({
      status: 'submitted',
      makerId: 'fo-maker',
      approverIds: ['fo-approver'],
      count: 6,
      controlSum: '3600000.00',
      fileName: 'bantu-umak-2026-11-1.xml',
      fileSha256: 'a'.repeat(64),
      sent: 6,
      credited: 2,
      rejected: 2,
      returned: 1,
      reversed: 1,
      pending: 0,
      // The reconciliation exception about payment 6 and the short credit of payment 4 (the exception queue).
      exceptions: 2,
    });
    expect(await get(bankJob, `/batch-views/${round.secondBatch}`)).toMatchObject({
      status: 'approved',
      count: 2,
      sent: 2,
      credited: 1,
      pending: 1,
      fileName: null,
      exceptions: 0,
    });
    const listed = await get<PageOf<Json>>(bankJob, `/batch-views?programmeId=${PROGRAMME_ID}&period=${NOVEMBER}`);
    expect(listed.items.map((batch) => batch.id)).toEqual([round.firstBatch, round.secondBatch]);
    expect((await ledger.as('enrolment-officer').get(`/batch-views/${round.firstBatch}`)).status).toBe(403);
  });

  it('keeps every table equal to the pure fold of the whole log', async () => {
    const db = ledger.api.app.get<ReadModelDatabase>(READ_MODEL_DATABASE);
    const log = await readLog(ledger.store);
    await ledger.api.app.get(ProjectionStatusService).waitFor(log[log.length - 1].position);
    for (const projection of LEDGER_PROJECTIONS) {
      expect({ projection: projection.name, tables: await dumpTables(db, projection) }).toEqual({
        projection: projection.name,
        tables: expectedTables(projection, log),
      });
    }
  });

  it('answers balances and budgets as of a past position or instant, folded from the log', async () => {
    const officer = ledger.as('finance-officer');
    const third = round.beneficiaryIds[2];
    const asOf = (query: string) =>
      get(officer, `/balances/as-of?programmeId=${PROGRAMME_ID}&beneficiaryId=${third}&${query}`);
    // After the bank's first answers, 3 had been returned and not yet reissued.
    expect(await asOf(`position=${round.afterFirstResults}`)).toMatchObject({
      approved: '600000.00',
      awaitingReissue: '600000.00',
      credited: ZERO,
      outstanding: '600000.00',
      asOf: { position: round.afterFirstResults },
    });
    const log = await readLog(ledger.store);
    const at = log.find((event) => event.position === round.afterFirstResults)?.recordedAt as string;
    expect(await asOf(`at=${encodeURIComponent(at)}`)).toMatchObject({ awaitingReissue: '600000.00' });

    // At every sampled point, the as-of answer is the pure fold of the log up to it.
    for (const position of [round.secondBatchApprovedAt, round.head]) {
      const answer = await asOf(`position=${position}`);
      const folded = projectInMemory(
        balancesProjection,
        log.filter((event: RecordedEvent) => event.position <= position),
      );
      const expected = folded.get('balancesBeneficiaries')?.get(`${PROGRAMME_ID}/${third}`)?.row;
      expect(answer).toMatchObject(expected as Json);
    }
    const current = await get<PageOf<Json>>(officer, `/balances?beneficiaryId=${third}&minPosition=${round.head}`);
    expect(await asOf(`position=${round.head}`)).toMatchObject(current.items[0]);

    const budgetAsOf = (query: string) => get(officer, `/budgets/${PROGRAMME_ID}/as-of?${query}`);
    expect(await budgetAsOf(`position=${round.afterFirstResults}`)).toMatchObject({
      reserved: '3600000.00',
      credited: '1797500.00',
      remaining: '96400000.00',
    });
    expect(await budgetAsOf(`position=${round.head}`)).toMatchObject(
      await get(officer, `/budgets/${PROGRAMME_ID}?minPosition=${round.head}`),
    );
    expect((await officer.get(`/budgets/${PROGRAMME_ID}/as-of?position=0`)).status).toBe(404);
    expect((await officer.get(`/budgets/${PROGRAMME_ID}/as-of`)).body).toMatchObject({ code: 'AS_OF_REQUIRED' });
    expect((await officer.get(`/budgets/${PROGRAMME_ID}/as-of?at=2026-13-45`)).body).toMatchObject({
      code: 'INVALID_INSTANT',
    });
  });

  it('finds every event about a beneficiary by id, NIK, KK or region, and by batch, payment, actor, type and time', async () => {
    // Each read waits for the events so far: a search appends its own record (PersonalDataViewed).
    const trail = async (query: string, caller = inspector()) =>
      (
        await get<PageOf<Json>>(
          caller,
          `/audit/trail?limit=500&minPosition=${await ledger.store.headPosition()}&${query}`,
        )
      ).items;
    // Searching by NIK or KK is for those who see them in clear (see personal-data-search.e2e.spec.ts).
    const search = (query: string) => trail(query, ledger.as('inspector', 'insp-search', ['pii']));
    const positions = (events: Json[]) =>
      events.filter((event) => event.type !== 'PersonalDataViewed').map((event) => event.position);
    const third = round.beneficiaryIds[2];
    const aboutThird = await search(`nik=${nikOf(3)}`);
    expect(aboutThird.map((event) => event.type)).toEqual([
      'BeneficiaryEnrolled',
      'PaymentScheduled',
      'PaymentBatched',
      'PaymentSentToBank',
      'PaymentCredited',
      'PaymentReturned',
      'BankAccountChanged',
      'PaymentReissued',
      'PaymentBatched',
      'PaymentSentToBank',
    ]);
    expect(aboutThird.every((event) => event.beneficiaryId === third && event.regionCode === '16.06.01.2001')).toBe(
      true,
    );
    expect(positions(await trail(`beneficiaryId=${third}`))).toEqual(positions(aboutThird));

    const sixth = await search(`kk=${OTHER_KK}`);
    expect(new Set(sixth.map((event) => event.beneficiaryId))).toEqual(new Set([round.beneficiaryIds[5]]));
    expect(positions(await trail('regionCodePrefix=16.71'))).toEqual(positions(sixth));
    expect(positions(await trail('regionCodePrefix=16.71.03.1001'))).toEqual(positions(sixth));
    // The exception about payment 6 is resolved to its beneficiary, its batch and its round.
    expect(sixth.find((event) => event.type === 'BankResultException')).toMatchObject({
      batchId: round.firstBatch,
      period: NOVEMBER,
      programmeId: PROGRAMME_ID,
    });
    const inRegency = await trail('regionCodePrefix=16.06');
    expect(new Set(inRegency.map((event) => event.beneficiaryId))).toEqual(new Set(round.beneficiaryIds.slice(0, 5)));
    expect((await inspector().get('/audit/trail?regionCodePrefix=16.0')).body).toMatchObject({
      code: 'INVALID_REGION_PREFIX',
    });

    const secondBatch = await trail(`batchId=${round.secondBatch}`);
    expect(secondBatch.map((event) => event.type).sort()).toEqual(
      [
        'BatchApprovalRecorded',
        'BatchApproved',
        // The creation workflow's first step, then the claims, then the batch.
        'BatchCreationStarted',
        'BatchCreated',
        'BudgetReserved',
        'PaymentBatched',
        'PaymentBatched',
        'PaymentCredited',
        'PaymentSentToBank',
        'PaymentSentToBank',
      ].sort(),
    );
    expect((await trail(`paymentId=${round.payments[4]}`)).map((event) => event.type).slice(-2)).toEqual([
      'PaymentReversalRequested',
      'PaymentReversed',
    ]);
    expect(await trail('actorId=fo-second')).toEqual([
      expect.objectContaining({ type: 'PaymentReversed', actor: { userId: 'fo-second', role: 'finance-officer' } }),
    ]);
    expect((await trail('type=PaymentRejected,PaymentReturned')).map((event) => event.type)).toEqual([
      'PaymentRejected',
      'PaymentReturned',
      'PaymentRejected',
    ]);
    expect(await trail(`programmeId=${PROGRAMME_ID}&period=${DECEMBER}`)).toHaveLength(1);

    const all = await trail('');
    const middle = all[Math.floor(all.length / 2)];
    const later = await trail(`from=${encodeURIComponent(String(middle.recordedAt))}`);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((event) => String(event.recordedAt) >= String(middle.recordedAt))).toBe(true);

    // Pages of 7 walk the same events in the same order.
    const walked: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: PageOf<Json> = await get(inspector(), `/audit/trail?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(walked.map((event) => event.position)).toEqual(all.map((event) => event.position));
    expect((await ledger.as('finance-officer').get('/audit/trail')).status).toBe(403);
  });

  it('masks personal numbers for inspectors without the pii grant, and records every unmasked read', async () => {
    const second = round.beneficiaryIds[1];
    const types = 'type=BeneficiaryEnrolled,BankAccountChanged';
    const headBefore = await ledger.store.headPosition();
    const masked = (await get<PageOf<Json>>(inspector(), `/audit/trail?beneficiaryId=${second}&${types}`)).items;
    expect(masked[0]).toMatchObject({ nik: '1606********0002', kk: '1606********0001' });
    expect(masked[0].data).toMatchObject({
      nik: '1606********0002',
      kk: '1606********0001',
      bankAccount: { accountNumber: '0019*******0002' },
    });
    expect(masked[1].data).toMatchObject({
      previousBankAccount: { accountNumber: '0019*******0002' },
      bankAccount: { accountNumber: '7770*******0002' },
    });
    // A masked read writes nothing.
    expect(await ledger.store.headPosition()).toBe(headBefore);

    // The granted inspector searches by the NIK itself: recorded as a search (searchedBy, never the value).
    const clear = (await get<PageOf<Json>>(piiInspector(), `/audit/trail?nik=${nikOf(2)}&${types}`)).items;
    expect(clear[0]).toMatchObject({ nik: nikOf(2), data: { nik: nikOf(2), bankAccount: enrolment(2).bankAccount } });
    await get(piiInspector(), `/beneficiaries/${second}`);
    await get(piiInspector(), `/beneficiaries?programmeId=${PROGRAMME_ID}`);
    await get(inspector(), `/beneficiaries/${second}`);

    const records: RecordedEvent[] = [];
    for await (const event of ledger.store.readStream('pii-access-insp-pii')) records.push(event);
    expect(records.map((event) => event.data)).toEqual([
      expect.objectContaining({
        viewerId: 'insp-pii',
        beneficiaryIds: [second],
        endpoint: 'GET /audit/trail',
        searchedBy: ['nik'],
      }),
      expect.objectContaining({ beneficiaryIds: [second], endpoint: 'GET /beneficiaries/:beneficiaryId' }),
      expect.objectContaining({ endpoint: 'GET /beneficiaries' }),
    ]);
    expect([...(records[2].data.beneficiaryIds as string[])].sort()).toEqual([...round.beneficiaryIds].sort());
    expect(records[0].metadata).toMatchObject({ actor: { userId: 'insp-pii', role: 'inspector' } });
    const plain: RecordedEvent[] = [];
    for await (const event of ledger.store.readStream('pii-access-insp-plain')) plain.push(event);
    expect(plain).toEqual([]);

    // Who looked at whose data is itself in the trail of that beneficiary.
    const head = (await ledger.store.headPosition()) ?? 0;
    const looks = await get<PageOf<Json>>(
      inspector(),
      `/audit/trail?beneficiaryId=${second}&type=PersonalDataViewed&minPosition=${head}`,
    );
    expect(looks.items.map((event) => (event.data as Json).endpoint)).toEqual([
      'GET /audit/trail',
      'GET /beneficiaries/:beneficiaryId',
      'GET /beneficiaries',
    ]);
  });

  it('exports the trail as CSV, streamed, safe to open in a spreadsheet', async () => {
    // A correlation id a spreadsheet would run as a formula.
    const beneficiaryStream = `beneficiary-${round.beneficiaryIds[3]}`;
    const officer = ledger.as('enrolment-officer');
    const suspended = await officer.post(
      `/beneficiaries/${round.beneficiaryIds[3]}/suspension`,
      { reason: 'under review' },
      { 'x-correlation-id': '-1-1' },
    );
    expect(suspended.status).toBe(200);
    // And a user id one: tokens now carry canonical ids only, but events recorded before that may
    // hold anything, so one is written as such an event would have been.
    const hostile = '=HYPERLINK("http://x")';
    const recorded: RecordedEvent[] = [];
    for await (const event of ledger.store.readStream(beneficiaryStream)) recorded.push(event);
    const last = recorded[recorded.length - 1];
    const { suspendedBy: _suspendedBy, ...fact } = last.data;
    const reinstated = await ledger.store.append(
      beneficiaryStream,
      [
        {
          id: randomUUID(),
          type: 'BeneficiaryReinstated',
          data: { ...fact, reinstatedBy: hostile },
          metadata: { ...last.metadata, actor: { userId: hostile, role: 'enrolment-officer' } },
        },
      ],
      { expectedRevision: last.revision },
    );
    const fourth = `beneficiaryId=${round.beneficiaryIds[3]}`;
    const response = await inspector().get(`/audit/trail.csv?${fourth}&minPosition=${reinstated.position}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/attachment/);
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'position,recorded_at,occurred_at,type,stream_name,revision,actor_user_id,actor_role,programme_id,period,batch_id,payment_id,beneficiary_id,nik,kk,region_code,correlation_id,causation_id,data',
    );
    const json = (await get<PageOf<Json>>(inspector(), `/audit/trail?${fourth}&limit=500`)).items;
    expect(lines).toHaveLength(json.length + 1);
    const lastLine = lines[lines.length - 1];
    expect(lastLine).toContain(`,"'=HYPERLINK(""http://x"")",enrolment-officer,`);
    expect(lastLine).toContain(",'-1-1,");
    expect(lastLine).toContain('1606********0004');
    expect(response.text).not.toContain(nikOf(4));

    const limited = await inspector().get(`/audit/trail.csv?limit=3`);
    expect(limited.text.trimEnd().split('\r\n')).toHaveLength(4);
    expect((await inspector().get('/audit/trail.csv?regionCodePrefix=1')).status).toBe(400);
  });

  it('rebuilds a projection behind the running API into the same tables', async () => {
    const db = ledger.api.app.get<ReadModelDatabase>(READ_MODEL_DATABASE);
    const before = await dumpTables(db, auditTrailProjection);
    const engine = ledger.api.app.get(ProjectionEngine);
    await engine.rebuild(auditTrailProjection.name);
    expect(await dumpTables(db, auditTrailProjection)).toEqual(before);
  });
});
