import { createHash } from 'node:crypto';
import { BANK_RESULT_CSV_COLUMNS, bankResultCsvRow, compactId, readPain001 } from '@salur/bank-integration';
import { DEFAULT_SIMULATION, simulateBank } from '../../libs/bank-integration/src/simulator/bank-simulator';
import { chunksOf } from './support/fixtures';
import { BankRoundApi, JobView, startBankRoundApi } from './support/bank-round-api';
import { countQueueKeys } from './support/redis-cleanup';
import { accountNumberOf, registryCsv, syntheticBeneficiary } from './support/synthetic-registry';
import { xsdErrors } from './support/xsd';

const BENEFICIARIES = 1_000;
const BATCH_MAX = 400;
const programmeId = 'BANTU-UMAK-2026';
const period = '2026-11';
const TREASURY_ACCOUNT = '0012301000000099';

/**
 * A whole round through the real API, the real BullMQ jobs (embedded workers, local Redis under
 * a unique prefix) and SQLite: enrolment, round, batches, four-eyes approval, bank files (checked
 * against the XSD), submission, the bank simulator with 3% rejections, ingestion, account fixes,
 * reissue, a second batch, ingestion again. Every beneficiary ends credited exactly once with the
 * full amount.
 */
describe('a disbursement round end to end through the bank jobs', () => {
  let api: BankRoundApi;
  const maker = { role: 'finance-officer' as const, userId: 'fo-maker' };
  const approvers = ['fo-approver-a', 'fo-approver-b'];

  beforeAll(async () => {
    api = await startBankRoundApi({
      BATCH_MAX_PAYMENTS: String(BATCH_MAX),
      APPROVAL_TIERS: '100000000.00:1,*:2',
      TREASURY_ACCOUNT,
    });
  });
  afterAll(async () => {
    const prefix = api?.prefix;
    await api?.close();
    if (prefix) expect(await countQueueKeys(prefix)).toBe(0);
  });

  const job = async (response: { status: number; json: <T>() => T }) => {
    expect(response.status).toBe(202);
    return api.finish(response.json<JobView>());
  };

  async function approveAll(batchIds: readonly string[]) {
    for (const batchId of batchIds) {
      const batch = (await api.call('finance-officer', approvers[0], 'GET', `/batches/${batchId}`)).json<{
        contentHash: string;
        requiredApprovals: number;
      }>();
      for (const approver of approvers.slice(0, batch.requiredApprovals)) {
        const approved = await api.call('finance-officer', approver, 'POST', `/batches/${batchId}/approvals`, {
          contentHash: batch.contentHash,
        });
        expect(approved.status).toBe(200);
      }
    }
  }

  /** Writes, downloads, checks and submits each batch's file; returns the pain.001 texts. */
  async function fileAndSubmit(batchIds: readonly string[]): Promise<string[]> {
    const files: string[] = [];
    for (const batchId of batchIds) {
      await job(await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/file`));
      const download = await api.call('finance-officer', 'fo-viewer', 'GET', `/batches/${batchId}/file?format=pain001`);
      expect(download.status).toBe(200);
      const sha256 = createHash('sha256').update(download.body).digest('hex');
      expect(download.headers['x-content-sha256']).toBe(sha256);
      const xml = download.body.toString('utf8');
      expect(await xsdErrors(xml, 'pain.001.001.09')).toEqual([]);
      const csv = await api.call('bank-integration', 'h2h', 'GET', `/batches/${batchId}/file?format=csv`);
      expect(csv.status).toBe(200);
      const submitted = await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/submission`);
      expect(submitted.status).toBe(200);
      // The batch list and the batch views are one fold: the list says submitted, as the view does.
      const head = await api.store.headPosition();
      const listed = await api.call(
        'finance-officer',
        'fo-viewer',
        'GET',
        `/batches?status=submitted&minPosition=${head}`,
      );
      expect(listed.status).toBe(200);
      const listedIds = (JSON.parse(listed.body.toString('utf8')) as { items: Array<{ id: string }> }).items.map(
        (batch) => batch.id,
      );
      expect(listedIds).toContain(batchId);
      files.push(xml);
    }
    return files;
  }

  async function bankAnswers(pain001: string, rejectShare: number) {
    let pain002 = '';
    let camt054 = '';
    const options = { ...DEFAULT_SIMULATION, rejectShare, returnShare: 0, seed: 'e2e' };
    const summary = await simulateBank(readPain001(chunksOf(pain001, 64 * 1024)), options, TREASURY_ACCOUNT, {
      pain002: (chunk) => void (pain002 += chunk),
      camt054: (chunk) => void (camt054 += chunk),
    });
    return { pain002, camt054, summary };
  }

  const postResults = (body: string, contentType = 'application/xml') =>
    api.call('bank-integration', 'h2h', 'POST', '/bank-results', body, { 'content-type': contentType });

  async function paymentsByStatus(): Promise<Map<string, string>> {
    const statuses = new Map<string, string>();
    for (const event of await api.events()) {
      if (!event.streamName.startsWith('payment-')) continue;
      const id = String(event.data.paymentId);
      const next: Record<string, string> = {
        PaymentScheduled: 'scheduled',
        PaymentBatched: 'batched',
        PaymentSentToBank: 'sent',
        PaymentCredited: 'credited',
        PaymentRejected: 'rejected',
        PaymentReturned: 'returned',
        PaymentReissued: 'reissued',
      };
      if (next[event.type]) statuses.set(id, next[event.type]);
    }
    return statuses;
  }

  it('credits every beneficiary exactly once with the full amount', async () => {
    const created = await api.call('programme-officer', 'po-1', 'POST', '/programmes', {
      code: 'BANTU-UMAK',
      name: 'Bantuan Langsung Tunai Warga Miskin Ekstrem',
      fiscalYear: 2026,
      budgetCeiling: '1000000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    expect(created.status).toBe(201);
    // In parts of 250 rows: a bulk body above ~64 KiB makes the enrolment endpoint crawl (see the README).
    for (let first = 1; first <= BENEFICIARIES; first += 250) {
      const enrolled = await api.call(
        'enrolment-officer',
        'eo-1',
        'POST',
        `/programmes/${programmeId}/beneficiaries/bulk`,
        registryCsv(250, first),
        { 'content-type': 'text/csv' },
      );
      expect(enrolled.json()).toMatchObject({ rows: 250, enrolled: 250, rejected: 0 });
    }

    // The round: one payment per beneficiary, progress reported. Asking again once it finished
    // opens a supplementary run (never the old completed job), which finds nobody new.
    const opened = await api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period });
    expect(opened.json()).toMatchObject({ run: 1 });
    const round = await job(opened);
    expect(round.result).toEqual({
      total: BENEFICIARIES,
      scheduled: BENEFICIARIES,
      alreadyScheduled: 0,
      conflicting: 0,
    });
    expect(round.progress).toMatchObject({ done: BENEFICIARIES, total: BENEFICIARIES });
    const again = await api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period });
    expect(again.json()).toMatchObject({ run: 2 });
    expect(again.json<JobView>().id).not.toBe(round.id);
    expect((await job(again)).result).toMatchObject({ scheduled: 0, alreadyScheduled: BENEFICIARIES });

    // Batches of at most 400, the caller as maker; a second build finds nothing left to batch.
    const built = await job(
      await api.call(maker.role, maker.userId, 'POST', `/rounds/${programmeId}/${period}/batches`),
    );
    const batches = built.result as Array<{ batchId: string; count: number; controlSum: string }>;
    expect(batches.map((batch) => batch.count)).toEqual([400, 400, 200]);
    const rebuilt = await job(
      await api.call(maker.role, maker.userId, 'POST', `/rounds/${programmeId}/${period}/batches`),
    );
    expect(rebuilt.result).toEqual([]);
    const createdBatches = await api.events('BatchCreated');
    expect(createdBatches.map((event) => event.data.makerId)).toEqual([maker.userId, maker.userId, maker.userId]);
    // Every claim named the beneficiary's record revision: the lines are a Merkle tree (salur-batch/v2).
    expect(createdBatches.map((event) => event.data.contentFormat)).toEqual(Array(3).fill('salur-batch/v2'));

    // Approval by two others, files (XSD-valid), submission.
    await approveAll(batches.map((batch) => batch.batchId));
    const files = await fileAndSubmit(batches.map((batch) => batch.batchId));
    const generated = await api.events('BatchFileGenerated');
    expect(generated).toHaveLength(6);
    expect(generated.every((event) => event.data.chargeBearer === 'DEBT')).toBe(true);

    // The bank rejects about 3%; everything else is credited.
    let rejected = 0;
    for (const pain001 of files) {
      const { pain002, camt054, summary } = await bankAnswers(pain001, 0.03);
      rejected += summary.rejected;
      const statusJob = await job(await postResults(pain002));
      expect(statusJob.result).toMatchObject({ rejected: summary.rejected, exceptions: 0 });
      await job(await postResults(camt054));
      // The same file again: the same job, and nothing written.
      const head = await api.store.headPosition();
      const repeated = await postResults(camt054);
      expect(repeated.status).toBe(202);
      await api.finish(repeated.json<JobView>());
      expect(await api.store.headPosition()).toBe(head);
    }
    expect(rejected).toBeGreaterThan(10);
    expect(rejected).toBeLessThan(60);
    let statuses = await paymentsByStatus();
    expect([...statuses.values()].filter((status) => status === 'rejected')).toHaveLength(rejected);
    expect([...statuses.values()].filter((status) => status === 'credited')).toHaveLength(BENEFICIARIES - rejected);

    // Nothing is reissued while the account is the one the bank refused.
    const early = await api.call(maker.role, maker.userId, 'POST', `/rounds/${programmeId}/${period}/reissues`);
    expect(early.json()).toEqual({
      reissued: 0,
      awaitingAccountFix: rejected,
      beneficiaryNotActive: 0,
      awaitingOutcome: 0,
    });

    // Enrolment officers fix the accounts; the rejected payments are reissued exactly once.
    const rejections = await api.events('PaymentRejected');
    for (const rejection of rejections) {
      const paymentId = String(rejection.data.paymentId);
      const scheduled = (await api.events('PaymentScheduled')).find((event) => event.data.paymentId === paymentId);
      const beneficiaryId = String(scheduled?.data.beneficiaryId);
      const serial = Number(/ (\d+)$/.exec(String(await beneficiaryName(beneficiaryId)))?.[1]);
      const fixed = await api.call(
        'enrolment-officer',
        'eo-1',
        'POST',
        `/beneficiaries/${beneficiaryId}/bank-account`,
        {
          bankAccount: {
            bankCode: syntheticBeneficiary(serial).bankCode,
            accountNumber: accountNumberOf(serial, 1),
            accountHolderName: syntheticBeneficiary(serial).name,
          },
          reason: 'account closed, beneficiary opened a new one',
        },
      );
      expect(fixed.status).toBe(200);
    }
    const reissue = await api.call(maker.role, maker.userId, 'POST', `/rounds/${programmeId}/${period}/reissues`);
    expect(reissue.json()).toEqual({
      reissued: rejected,
      awaitingAccountFix: 0,
      beneficiaryNotActive: 0,
      awaitingOutcome: 0,
    });
    const twice = await api.call(maker.role, maker.userId, 'POST', `/rounds/${programmeId}/${period}/reissues`);
    expect(twice.json()).toMatchObject({ reissued: 0 });

    // A later batch carries the reissued payments; this time the bank credits them all.
    const second = await job(
      await api.call(maker.role, maker.userId, 'POST', `/rounds/${programmeId}/${period}/batches`),
    );
    const secondBatches = second.result as Array<{ batchId: string; count: number }>;
    expect(secondBatches.map((batch) => batch.count)).toEqual([rejected]);
    await approveAll(secondBatches.map((batch) => batch.batchId));
    const [secondFile] = await fileAndSubmit(secondBatches.map((batch) => batch.batchId));
    expect(secondFile).toContain(`<Id>${accountNumberOf(1, 1).slice(0, 2)}`);
    const answers = await bankAnswers(secondFile, 0);
    await job(await postResults(answers.pain002));
    const credits = await job(await postResults(answers.camt054));
    expect(credits.result).toMatchObject({ credited: rejected, exceptions: 0 });

    // Every beneficiary credited exactly once, the full amount, nothing deducted.
    statuses = await paymentsByStatus();
    expect(statuses.size).toBe(BENEFICIARIES);
    expect([...statuses.values()].every((status) => status === 'credited')).toBe(true);
    const credited = await api.events('PaymentCredited');
    expect(credited).toHaveLength(BENEFICIARIES);
    expect(new Set(credited.map((event) => event.data.paymentId)).size).toBe(BENEFICIARIES);
    expect(
      credited.every((event) => event.data.creditedAmount === '600000.00' && event.data.deductedAmount === '0.00'),
    ).toBe(true);
    expect(await api.events('PaymentDeductionFlagged')).toHaveLength(0);
    expect(await api.events('BankResultException')).toHaveLength(0);
    const reissued = await api.events('PaymentReissued');
    expect(reissued).toHaveLength(rejected);
    // Budget: what the approved batches reserved, 600 million plus the reissues.
    const reserved = (await api.events('BudgetReserved')).reduce((sum, event) => sum + Number(event.data.amount), 0);
    expect(reserved).toBe((BENEFICIARIES + rejected) * 600_000);

    // A result file with lines that do not match: each goes to the exception list, the good line applies.
    const [first, other, third] = credited.map((event) => ({
      e2e: compactId(String(event.data.paymentId)),
      bankReference: String(event.data.bankReference),
    }));
    const line = (fields: Partial<Parameters<typeof bankResultCsvRow>[0]>) =>
      bankResultCsvRow({
        endToEndId: first.e2e,
        outcome: 'credited',
        amount: '600000.00',
        currency: 'IDR',
        bankReference: 'X',
        valueDate: '2026-11-28',
        ...fields,
      });
    const csv =
      `${BANK_RESULT_CSV_COLUMNS.join(',')}\r\n` +
      line({ endToEndId: compactId('00000000-0000-4000-8000-000000000000'), bankReference: 'X-1' }) +
      line({ bankReference: 'X-2' }) +
      line({ endToEndId: other.e2e, amount: '700000.00', bankReference: 'X-3' }) +
      line({ outcome: 'returned', account: '999999999999999', reasonCode: 'AC04', bankReference: 'X-4' }) +
      line({ endToEndId: third.e2e, bankReference: third.bankReference, valueDate: '2026-11-27' });
    const checked = await job(await postResults(csv, 'text/csv'));
    expect(checked.result).toMatchObject({ lines: 5, applied: 0, alreadyApplied: 1, exceptions: 4 });
    const exceptions = await api.events('BankResultException');
    expect(exceptions.map((event) => event.data.reason)).toEqual([
      'UNKNOWN_REFERENCE',
      'DUPLICATE',
      'AMOUNT_DIFFERS',
      'ACCOUNT_DIFFERS',
    ]);
    expect((await api.events('PaymentCredited')).length).toBe(BENEFICIARIES);
    // A thousand beneficiaries through every job, waited on condition by condition: a bound against
    // a hang, not a speed test. It took over 180 s with stress-ng on both cores beside the suite.
  }, 900_000);

  async function beneficiaryName(beneficiaryId: string): Promise<string> {
    const response = await api.call('enrolment-officer', 'eo-1', 'GET', `/beneficiaries/${beneficiaryId}`);
    return String(response.json<{ name: string }>().name);
  }
});
