import { BANK_RESULT_CSV_COLUMNS, bankResultCsvRow, compactId } from '@salur/bank-integration';
import { BankOutcomePass, BatchWorkflows } from '@salur/batches';
import { checkLedger } from '@salur/invariants';
import type { Role } from '@salur/kernel';
import { enrolment } from '../ledger/ledger-api';
import type { StoreKind } from '../ledger/ledger-api';
import { BankRoundApi, createProgramme, JobView, startBankRoundApi } from './support/bank-round-api';

const programmeId = 'BANTU-UMAK-2026';
const HOUR_MS = 3_600_000;
interface Caller {
  readonly role: Role;
  readonly userId: string;
}
const maker: Caller = { role: 'finance-officer', userId: 'fo-maker' };
const officer = (userId: string): Caller => ({ role: 'finance-officer', userId });

interface Line {
  readonly paymentId: string;
  readonly account: string;
  readonly outcome: 'credited' | 'rejected';
  readonly reasonCode?: string;
}
interface Round {
  readonly batchId: string;
  readonly payments: ReadonlyArray<{ readonly paymentId: string; readonly account: string }>;
}
interface PaymentView {
  readonly status: string;
  readonly attempt: number;
  readonly reasonClass: string | null;
}

/**
 * Bank outcomes through the real API and jobs (embedded workers, local Redis), on SQLite and
 * PostgreSQL: an AM04 rejection reissued as is; payments the bank never answered marked
 * outcome-unknown by the scheduled pass (driven here with the instant the test chooses), refused
 * a reissue, resolved by a late status report and by two officers, the batch then settled; a
 * pending batch past its time-to-live expired by the pass, its payments back in the pool. Last,
 * the pass as the BullMQ job scheduler runs it, settling a batch by itself.
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('bank outcomes on %s', (kind) => {
  let api: BankRoundApi;
  beforeEach(async () => {
    api = await startBankRoundApi({ APPROVAL_TIERS: '*:1', WORKFLOW_INTERVAL: '0' }, kind);
  });
  afterEach(() => api?.close());

  const pass = (now: string) => api.ledger.api.app.get(BankOutcomePass, { strict: false }).run(now);
  const hoursFromNow = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();
  const head = async () => (await api.store.headPosition()) ?? 0;
  const post = (path: string, body?: unknown, as: Caller = maker) => api.call(as.role, as.userId, 'POST', path, body);
  const payment = async (paymentId: string) =>
    (await api.call('finance-officer', 'fo-viewer', 'GET', `/payments/${paymentId}`)).json<PaymentView>();
  const batchView = async (batchId: string) =>
    (await api.call('finance-officer', 'fo-viewer', 'GET', `/batch-views/${batchId}?minPosition=${await head()}`)).json<
      Record<string, unknown>
    >();
  const roundView = async (period: string) =>
    (
      await api.call(
        'finance-officer',
        'fo-viewer',
        'GET',
        `/rounds/${programmeId}/${period}?minPosition=${await head()}`,
      )
    ).json<Record<string, unknown>>();
  const finish = async (response: { status: number; json: <T>() => T }) => {
    expect(response.status).toBe(202);
    return api.finish(response.json<JobView>());
  };

  /** A programme with `beneficiaries` enrolled (serials 1…n). */
  async function programme(beneficiaries: number): Promise<void> {
    expect((await createProgramme(api)).status).toBe(201);
    for (let serial = 1; serial <= beneficiaries; serial++) {
      const enrolled = await api.call(
        'enrolment-officer',
        'eo-1',
        'POST',
        `/programmes/${programmeId}/beneficiaries`,
        enrolment(serial),
      );
      expect(enrolled.status).toBe(201);
    }
  }

  /** Opens the period's round and builds its one batch; approved and submitted unless told otherwise. */
  async function round(period: string, upTo: 'pending' | 'submitted' = 'submitted'): Promise<Round> {
    await finish(await api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period }));
    const built = await finish(await post(`/rounds/${programmeId}/${period}/batches`));
    const [{ batchId }] = built.result as Array<{ batchId: string }>;
    const batch = (await api.call('finance-officer', 'fo-viewer', 'GET', `/batches/${batchId}`)).json<{
      contentHash: string;
      payments: Array<{ paymentId: string }>;
    }>();
    const payments = [];
    for (const { paymentId } of batch.payments) {
      const scheduled = (await api.events('PaymentBatched')).find((event) => event.data.paymentId === paymentId);
      payments.push({
        paymentId,
        account: String((scheduled?.data.account as { accountNumber: string }).accountNumber),
      });
    }
    if (upTo === 'pending') return { batchId, payments };
    const approved = await post(`/batches/${batchId}/approvals`, { contentHash: batch.contentHash }, officer('fo-a'));
    expect(approved.status).toBe(200);
    await finish(await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/file`));
    expect((await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/submission`)).status).toBe(200);
    return { batchId, payments };
  }

  /** The bank's answer as its CSV, through POST /bank-results and the ingestion job. */
  async function bankAnswers(batchId: string, lines: readonly Line[], tag: string) {
    const csv =
      `${BANK_RESULT_CSV_COLUMNS.join(',')}\r\n` +
      lines
        .map((line, index) =>
          bankResultCsvRow({
            endToEndId: compactId(line.paymentId),
            outcome: line.outcome,
            amount: '600000.00',
            currency: 'IDR',
            account: line.account,
            reasonCode: line.reasonCode,
            bankReference: `${tag}-${index + 1}`,
            valueDate: line.outcome === 'credited' ? new Date().toISOString().slice(0, 10) : undefined,
            paymentInfoId: compactId(batchId),
          }),
        )
        .join('');
    const job = await finish(
      await api.call('bank-integration', 'h2h', 'POST', '/bank-results', csv, { 'content-type': 'text/csv' }),
    );
    expect(job.result).toMatchObject({ exceptions: 0 });
  }

  it('reissues an AM04 rejection as is and settles the batch once every line is answered', async () => {
    await programme(3);
    const { batchId, payments } = await round('2026-11');
    const [short, ...others] = payments;
    await bankAnswers(
      batchId,
      [
        { ...short, outcome: 'rejected', reasonCode: 'AM04' },
        ...others.map((line) => ({ ...line, outcome: 'credited' as const })),
      ],
      'S1',
    );
    expect(await payment(short.paymentId)).toMatchObject({ status: 'rejected', reasonClass: 'debtor' });

    // The treasury was short, not the beneficiary's account wrong: reissued as is, no account change.
    const reissued = await post(`/rounds/${programmeId}/2026-11/reissues`);
    expect(reissued.json()).toEqual({
      reissued: 1,
      awaitingAccountFix: 0,
      beneficiaryNotActive: 0,
      awaitingOutcome: 0,
    });
    expect(await payment(short.paymentId)).toMatchObject({ status: 'reissued', attempt: 2 });
    const [again] = (await api.events('PaymentReissued')).map((event) => event.data);
    expect(again.account).toEqual(again.previousAccount);

    // Every line has its answer: the pass settles the batch, once.
    expect(await pass(new Date().toISOString())).toMatchObject({ settled: 1, outcomeUnknown: 0, expired: 0 });
    expect(await pass(new Date().toISOString())).toMatchObject({ settled: 0 });
    expect(await api.events('BatchSettled')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ batchId, credited: 2, rejected: 1, count: 3 }) }),
    ]);
    expect(await batchView(batchId)).toMatchObject({ status: 'settled', credited: 2, rejected: 1, pending: 0 });
  });

  it('marks unanswered payments outcome-unknown, refuses their reissue, and settles once a report and two officers resolve them', async () => {
    await programme(3);
    const { batchId, payments } = await round('2026-12');
    const [late, decidedCredited, decidedNot] = payments;

    // No answer. Not before the timeout (72 h by default)…
    expect(await pass(hoursFromNow(71))).toMatchObject({ outcomeUnknown: 0, settled: 0 });
    expect(await payment(late.paymentId)).toMatchObject({ status: 'sent' });
    // …then all three, once.
    expect(await pass(hoursFromNow(73))).toMatchObject({ outcomeUnknown: 3, settled: 0 });
    expect(await pass(hoursFromNow(74))).toMatchObject({ outcomeUnknown: 0, settled: 0 });
    expect(await payment(late.paymentId)).toMatchObject({ status: 'outcome-unknown' });
    expect(await batchView(batchId)).toMatchObject({ status: 'submitted', outcomeUnknown: 3, pending: 3 });
    expect(await roundView('2026-12')).toMatchObject({ outcomeUnknown: 3, sent: 0 });

    // Never resent blindly: refused one by one and left out of the round's reissue.
    const refused = await post(`/payments/${late.paymentId}/reissue`);
    expect({ status: refused.status, code: refused.json().code }).toEqual({ status: 422, code: 'OUTCOME_UNKNOWN' });
    expect((await post(`/rounds/${programmeId}/2026-12/reissues`)).json()).toMatchObject({
      reissued: 0,
      awaitingOutcome: 3,
    });

    // A late status report credits one.
    await bankAnswers(batchId, [{ ...late, outcome: 'credited' }], 'LATE');
    expect(await payment(late.paymentId)).toMatchObject({ status: 'credited' });

    // Two officers decide the others: one asks, a different one confirms.
    const ask = (paymentId: string, outcome: string, as = officer('fo-first')) =>
      post(`/payments/${paymentId}/outcome-decisions`, { outcome, reason: 'confirmed with the bank by phone' }, as);
    const confirm = (paymentId: string, outcome: string, as = officer('fo-second')) =>
      post(`/payments/${paymentId}/outcome-decisions/confirmation`, { outcome }, as);
    expect((await ask(decidedCredited.paymentId, 'credited')).status).toBe(200);
    const self = await confirm(decidedCredited.paymentId, 'credited', officer(' FO-First '));
    expect({ status: self.status, code: self.json().code }).toEqual({ status: 403, code: 'FOUR_EYES_REQUIRED' });
    const other = await confirm(decidedCredited.paymentId, 'not-credited');
    expect({ status: other.status, code: other.json().code }).toEqual({
      status: 409,
      code: 'OUTCOME_DECISION_DIFFERS',
    });
    const invalid = await ask(decidedNot.paymentId, 'maybe');
    expect(invalid.status).toBe(400);
    expect((await confirm(decidedCredited.paymentId, 'credited')).status).toBe(200);
    expect((await ask(decidedNot.paymentId, 'not-credited')).status).toBe(200);
    expect((await confirm(decidedNot.paymentId, 'not-credited')).status).toBe(200);
    expect(await payment(decidedCredited.paymentId)).toMatchObject({ status: 'credited' });
    expect(await payment(decidedNot.paymentId)).toMatchObject({ status: 'not-credited' });

    // Every line final: settled.
    expect(await pass(hoursFromNow(75))).toMatchObject({ settled: 1 });
    expect(await batchView(batchId)).toMatchObject({
      status: 'settled',
      credited: 2,
      notCredited: 1,
      outcomeUnknown: 0,
      pending: 0,
    });
    expect(await roundView('2026-12')).toMatchObject({ credited: 2, notCredited: 1, outcomeUnknown: 0 });

    // Decided not credited: reissued as is; its budget share is owed back, as after a rejection (BatchObligations).
    expect((await post(`/rounds/${programmeId}/2026-12/reissues`)).json()).toMatchObject({ reissued: 1 });
    const owed = await api.ledger.api.app.get(BatchWorkflows, { strict: false }).owed();
    expect(owed).toEqual([
      expect.objectContaining({ kind: 'release', batchId, amount: '600000.00', why: 'payment-rejected' }),
    ]);
    expect((await checkLedger(api.store)).violations).toEqual([]);
  });

  it('expires a pending batch past its time-to-live: its payments back in the pool, nothing left reserved', async () => {
    await programme(2);
    const { batchId, payments } = await round('2026-10', 'pending');
    const { expiresAt } = (await api.call('finance-officer', 'fo-viewer', 'GET', `/batches/${batchId}`)).json<{
      expiresAt: string;
    }>();

    expect(await pass(new Date(Date.parse(expiresAt) - 1).toISOString())).toMatchObject({ expired: 0 });
    expect(await pass(expiresAt)).toMatchObject({ expired: 1 });
    expect(await pass(expiresAt)).toMatchObject({ expired: 0 });
    expect(await batchView(batchId)).toMatchObject({ status: 'expired', closedAt: expiresAt });
    for (const { paymentId } of payments) expect(await payment(paymentId)).toMatchObject({ status: 'scheduled' });
    const [expired] = await api.events('BatchExpired');
    expect(expired.metadata).toMatchObject({ actor: { userId: 'salur-workflows', role: 'admin' } });
    // A pending batch holds no reservation; none is left for it, and its payments can be batched again.
    expect((await api.events('BudgetReserved')).filter((event) => event.data.batchId === batchId)).toEqual([]);
    const rebuilt = await finish(await post(`/rounds/${programmeId}/2026-10/batches`));
    expect((rebuilt.result as Array<{ count: number }>).map((batch) => batch.count)).toEqual([2]);
    expect((await checkLedger(api.store)).violations).toEqual([]);
  });
});

describe('the scheduled pass as BullMQ runs it', () => {
  let api: BankRoundApi;
  beforeAll(async () => {
    api = await startBankRoundApi({ APPROVAL_TIERS: '*:1', BANK_OUTCOME_PASS_INTERVAL: '1' });
  });
  afterAll(() => api?.close());

  it('settles a batch whose lines were all answered, with nobody asking', async () => {
    expect((await createProgramme(api)).status).toBe(201);
    expect(
      (await api.call('enrolment-officer', 'eo-1', 'POST', `/programmes/${programmeId}/beneficiaries`, enrolment(1)))
        .status,
    ).toBe(201);
    const job = async (response: { json: <T>() => T }) => api.finish(response.json<JobView>());
    await job(await api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period: '2026-11' }));
    const built = await job(
      await api.call('finance-officer', 'fo-maker', 'POST', `/rounds/${programmeId}/2026-11/batches`),
    );
    const [{ batchId }] = built.result as Array<{ batchId: string }>;
    const batch = (await api.call('finance-officer', 'fo-a', 'GET', `/batches/${batchId}`)).json<{
      contentHash: string;
      payments: Array<{ paymentId: string }>;
    }>();
    await api.call('finance-officer', 'fo-a', 'POST', `/batches/${batchId}/approvals`, {
      contentHash: batch.contentHash,
    });
    await job(await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/file`));
    await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/submission`);
    const [{ paymentId }] = batch.payments;
    const csv =
      `${BANK_RESULT_CSV_COLUMNS.join(',')}\r\n` +
      bankResultCsvRow({
        endToEndId: compactId(paymentId),
        outcome: 'rejected',
        reasonCode: 'AC04',
        bankReference: 'R-1',
        paymentInfoId: compactId(batchId),
      });
    await job(await api.call('bank-integration', 'h2h', 'POST', '/bank-results', csv, { 'content-type': 'text/csv' }));

    // The job scheduler runs the pass every second: wait for its fact, never for a fixed time.
    for (let polls = 0; (await api.events('BatchSettled')).length === 0; polls++) {
      if (polls > 400) throw new Error('The scheduled pass did not settle the batch within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [settled] = await api.events('BatchSettled');
    expect(settled.data).toMatchObject({ batchId, rejected: 1, count: 1 });
  });
});
