import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { handleCommand, LedgerContext, metadataOf } from '@salur/application';
import { batchDecider, contentHashOf } from '@salur/batches/domain';
import { DEFAULT_APPROVAL_POLICY } from '@salur/kernel';
import { EventStore, NewEvent, SqliteEventStore } from '@salur/event-store';
import { checkLedger, InvariantName } from '@salur/invariants';
import { paymentDecider, paymentIdFor } from '@salur/payments/domain';
import { programmeDecider } from '@salur/programmes/domain';

const at = '2026-11-26T08:00:00.000Z';
const context = (userId: string): LedgerContext => ({
  actor: { userId, role: 'finance-officer' },
  now: at,
  correlationId: 'checker-test',
  causationId: 'checker-test',
});
const programmeId = 'BANTU-UMAK-2026';
const period = '2026-11';
const beneficiaryIds = ['b0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002'];
const paymentIds = beneficiaryIds.map((beneficiaryId) => paymentIdFor(programmeId, period, beneficiaryId));
const account = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };

/** A small, valid ledger written through the real deciders: programme, two payments, an approved batch. */
async function writeValidLedger(store: EventStore): Promise<{ batchId: string }> {
  const run = async <C, S, E extends { type: string; data: object }>(
    stream: string,
    decider: import('@salur/kernel').Decider<C, S, E>,
    command: C,
    userId = 'officer',
  ) => handleCommand(store, stream, decider, command, { metadata: metadataOf(context(userId)) });
  await run(`programme-${programmeId}`, programmeDecider, {
    type: 'CreateProgramme',
    data: {
      programmeId,
      code: 'BANTU-UMAK',
      name: 'Bantu Umak',
      fiscalYear: 2026,
      budgetCeiling: '1200000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    },
    context: context('officer'),
  });
  const batchId = randomUUID();
  const items = beneficiaryIds.map((beneficiaryId, index) => ({
    paymentId: paymentIds[index],
    beneficiaryId,
    amount: '600000.00',
    account,
  }));
  for (const item of items) {
    await run(`payment-${item.paymentId}`, paymentDecider, {
      type: 'SchedulePayment',
      data: { paymentId: item.paymentId, programmeId, period, beneficiaryId: item.beneficiaryId, amount: '600000.00' },
      context: context('officer'),
    });
  }
  // The creation workflow: started, each payment claimed, then created.
  await run(
    `batch-${batchId}`,
    batchDecider,
    {
      type: 'StartBatchCreation',
      data: {
        batchId,
        programmeId,
        period,
        items,
        policy: DEFAULT_APPROVAL_POLICY,
        maxPayments: 10,
        expiresAt: '2026-12-01T00:00:00.000Z',
      },
      context: context('maker'),
    },
    'maker',
  );
  for (const item of items) {
    await run(`payment-${item.paymentId}`, paymentDecider, {
      type: 'BatchPayment',
      data: { paymentId: item.paymentId, batchId, account },
      context: context('maker'),
    });
  }
  const created = await run(
    `batch-${batchId}`,
    batchDecider,
    { type: 'CreateBatch', data: { batchId, items }, context: context('maker') },
    'maker',
  );
  const contentHash = contentHashOf({ batchId, programmeId, period }, items);
  expect(created.events).toHaveLength(1);
  await run(`programme-${programmeId}`, programmeDecider, {
    type: 'ReserveBudget',
    data: { programmeId, reservationId: `${batchId}:${contentHash}`, amount: '1200000.00', batchId },
    context: context('approver'),
  });
  await run(
    `batch-${batchId}`,
    batchDecider,
    { type: 'ApproveBatch', data: { batchId, contentHash }, context: context('approver') },
    'approver',
  );
  return { batchId };
}

function raw(type: string, data: Record<string, unknown>): NewEvent {
  return { id: randomUUID(), type, data, metadata: { actor: { userId: 'tamperer', role: 'admin' } } };
}

describe('invariant checker', () => {
  let directory: string;
  let path: string;
  let store: SqliteEventStore;
  let batchId: string;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'salur-check-'));
    path = join(directory, 'events.db');
    store = new SqliteEventStore({ path });
    ({ batchId } = await writeValidLedger(store));
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function violated(): Promise<InvariantName[]> {
    return (await checkLedger(store)).violations.map((violation) => violation.invariant);
  }

  it('passes a ledger written through the deciders', async () => {
    const report = await checkLedger(store);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.events).toBeGreaterThan(8);
  });

  it('catches a second payment for the same beneficiary and period', async () => {
    const foreignId = randomUUID();
    await store.append(`payment-${foreignId}`, [
      raw('PaymentScheduled', {
        paymentId: foreignId,
        programmeId,
        period,
        beneficiaryId: beneficiaryIds[0],
        amount: '600000.00',
      }),
    ]);
    expect(await violated()).toEqual(['one-payment-per-period']);
  });

  it('catches a short credit without its deduction flag, and a deduction that does not add up', async () => {
    await store.append(`payment-${paymentIds[0]}`, [
      raw('PaymentCredited', {
        paymentId: paymentIds[0],
        batchId,
        approvedAmount: '600000.00',
        creditedAmount: '550000.00',
        deductedAmount: '50000.00',
      }),
    ]);
    await store.append(`payment-${paymentIds[1]}`, [
      raw('PaymentCredited', {
        paymentId: paymentIds[1],
        batchId,
        approvedAmount: '600000.00',
        creditedAmount: '550000.00',
        deductedAmount: '0.00',
      }),
      raw('PaymentDeductionFlagged', { paymentId: paymentIds[1] }),
    ]);
    expect(await violated()).toEqual(['credited-equals-approved', 'credited-equals-approved']);
  });

  it('catches a reservation past the ceiling', async () => {
    await store.append(`programme-${programmeId}`, [
      raw('BudgetReserved', { programmeId, reservationId: 'x', amount: '0.01', batchId }),
    ]);
    // Past the ceiling, and held for content no approval holds.
    expect(await violated()).toEqual(['budget-within-ceiling', 'budget-matches-approvals']);
  });

  it('catches a batch whose count or control sum does not match its payments', async () => {
    const forged = randomUUID();
    await store.append(`batch-${forged}`, [
      raw('BatchCreated', {
        batchId: forged,
        programmeId,
        period,
        makerId: 'maker',
        payments: [{ paymentId: paymentIds[0], amount: '600000.00' }],
        count: 1,
        controlSum: '6000000.00',
        contentHash: 'f'.repeat(64),
        requiredApprovals: 1,
      }),
    ]);
    expect(await violated()).toEqual(['batch-totals']);
  });

  it('catches a maker approving their own batch and an approver approving twice', async () => {
    const forged = randomUUID();
    const hash = 'e'.repeat(64);
    await store.append(`batch-${forged}`, [
      raw('BatchCreated', {
        batchId: forged,
        programmeId,
        period,
        makerId: 'maker',
        payments: [{ paymentId: paymentIds[0], amount: '600000.00' }],
        count: 1,
        controlSum: '600000.00',
        contentHash: hash,
        requiredApprovals: 1,
      }),
      raw('BatchApprovalRecorded', { batchId: forged, approverId: 'maker', contentHash: hash }),
      raw('BatchApprovalRecorded', { batchId: forged, approverId: 'approver', contentHash: hash }),
      raw('BatchApprovalRecorded', { batchId: forged, approverId: 'approver', contentHash: hash }),
    ]);
    expect(await violated()).toEqual(['four-eyes', 'four-eyes']);
  });

  it('catches a gap in a stream’s revisions (an event deleted from the store)', async () => {
    const db = new Database(path);
    db.prepare('DELETE FROM events WHERE stream_name = ? AND revision = 0').run(`payment-${paymentIds[1]}`);
    db.close();
    expect(await violated()).toContain('gapless-revisions');
  });

  it('catches a payment for a period its programme never declared, and one that overlaps another', async () => {
    const undeclared = paymentIdFor(programmeId, '2027-01', beneficiaryIds[0]);
    await store.append(`payment-${undeclared}`, [
      raw('PaymentScheduled', {
        paymentId: undeclared,
        programmeId,
        period: '2027-01',
        beneficiaryId: beneficiaryIds[0],
        amount: '600000.00',
        at,
      }),
    ]);
    expect(await violated()).toEqual(['declared-periods']);
    // The quarter of a month already paid: undeclared (the schedule is monthly) and overlapping.
    const quarter = paymentIdFor(programmeId, '2026-Q4', beneficiaryIds[1]);
    await store.append(`payment-${quarter}`, [
      raw('PaymentScheduled', {
        paymentId: quarter,
        programmeId,
        period: '2026-Q4',
        beneficiaryId: beneficiaryIds[1],
        amount: '600000.00',
        at,
      }),
    ]);
    expect(await violated()).toEqual(['declared-periods', 'declared-periods', 'declared-periods']);
  });

  it("catches a batch that needs other approvals than its programme's policy, and one approved by too few", async () => {
    const loose = randomUUID();
    const line = { paymentId: paymentIds[0], amount: '600000.00' };
    await store.append(`batch-${loose}`, [
      raw('BatchCreated', {
        batchId: loose,
        programmeId,
        period,
        makerId: 'maker',
        payments: [line],
        count: 1,
        controlSum: '600000.00',
        contentHash: 'c'.repeat(64),
        requiredApprovals: 0,
        expiresAt: '2026-12-01T00:00:00.000Z',
        at,
      }),
    ]);
    // The programme's policy asks one approver up to Rp 500 million: zero is not it.
    expect(await violated()).toEqual(['approval-policy']);
    await store.append(`batch-${batchId}`, [
      raw('BatchApproved', {
        batchId,
        programmeId,
        contentHash: 'x',
        approverIds: [],
        count: 2,
        controlSum: '1200000.00',
        at,
      }),
    ]);
    expect(await violated()).toEqual(['approval-policy', 'approval-policy']);
  });

  describe('workflows across streams', () => {
    const thirdBeneficiary = 'b0000000-0000-4000-8000-000000000003';
    const thirdPayment = paymentIdFor(programmeId, period, thirdBeneficiary);
    const scheduleThird = () =>
      store.append(`payment-${thirdPayment}`, [
        raw('PaymentScheduled', {
          paymentId: thirdPayment,
          programmeId,
          period,
          beneficiaryId: thirdBeneficiary,
          amount: '600000.00',
          at,
        }),
      ]);

    it('catches a payment claimed by a batch that was never recorded', async () => {
      await scheduleThird();
      await store.append(`payment-${thirdPayment}`, [
        raw('PaymentBatched', { paymentId: thirdPayment, batchId: randomUUID(), account, attempt: 1, at }),
      ]);
      expect(await violated()).toEqual(['no-stranded-payment']);
    });

    it('catches payments claimed by a batch that no longer lists them, or that is closed', async () => {
      await store.append(`batch-${batchId}`, [
        raw('BatchChanged', {
          batchId,
          removedPaymentIds: [paymentIds[0]],
          reason: 'account fixed',
          count: 1,
          controlSum: '600000.00',
          contentHash: 'e'.repeat(64),
          requiredApprovals: 1,
          changedBy: 'maker',
          at,
        }),
      ]);
      expect(await violated()).toEqual(['no-stranded-payment']);
      await store.append(`batch-${batchId}`, [
        raw('BatchCancelled', { batchId, reason: 'wrong round', cancelledBy: 'maker', wasApproved: true, at }),
      ]);
      // Both payments stranded, and the closed batch's reservation never released.
      expect(await violated()).toEqual(['no-stranded-payment', 'no-stranded-payment', 'budget-matches-approvals']);
    });

    it('catches a batch started and never created nor abandoned, once past the grace', async () => {
      const started = randomUUID();
      await store.append(`batch-${started}`, [
        raw('BatchCreationStarted', {
          batchId: started,
          programmeId,
          period,
          makerId: 'maker',
          payments: [],
          count: 0,
          controlSum: '0.00',
          requiredApprovals: 1,
          expiresAt: '2026-12-01T00:00:00.000Z',
          at,
        }),
      ]);
      expect(await violated()).toEqual(['workflows-finish']);
      const tooSoon = { now: new Date(Date.parse(at) + 60_000).toISOString(), graceMs: 120_000 };
      expect((await checkLedger(store, { workflowDeadline: tooSoon })).violations).toEqual([]);
    });

    it('catches budget still reserved for a payment the bank rejected', async () => {
      await store.append(`payment-${paymentIds[0]}`, [
        raw('PaymentSentToBank', { paymentId: paymentIds[0], batchId, at }),
        raw('PaymentRejected', { paymentId: paymentIds[0], batchId, reasonCode: 'AC04', at }),
      ]);
      expect(await violated()).toEqual(['budget-matches-approvals']);
    });

    it('catches an approved batch with no budget reserved for it', async () => {
      const unreserved = randomUUID();
      await scheduleThird();
      await store.append(`batch-${unreserved}`, [
        raw('BatchCreated', {
          batchId: unreserved,
          programmeId,
          period,
          makerId: 'maker',
          payments: [{ paymentId: thirdPayment, amount: '600000.00' }],
          count: 1,
          controlSum: '600000.00',
          contentHash: 'd'.repeat(64),
          requiredApprovals: 1,
          expiresAt: '2026-12-01T00:00:00.000Z',
          at,
        }),
        raw('BatchApproved', {
          batchId: unreserved,
          programmeId,
          contentHash: 'd'.repeat(64),
          approverIds: ['approver'],
          count: 1,
          controlSum: '600000.00',
          at,
        }),
      ]);
      expect(await violated()).toEqual(['budget-matches-approvals']);
    });

    it('catches a round that completed without a beneficiary active when it was asked for', async () => {
      const jobId = `open-round.${programmeId}.${period}`;
      await store.append(`beneficiary-${thirdBeneficiary}`, [
        raw('BeneficiaryEnrolled', { beneficiaryId: thirdBeneficiary, programmeId, at }),
      ]);
      await store.append(`bank-job-${jobId}`, [
        raw('BankJobRequested', { jobId, queue: 'open-round', data: { programmeId, period }, at }),
        raw('BankJobFinished', { jobId, outcome: 'completed', reason: null, at }),
      ]);
      expect(await violated()).toEqual(['round-complete']);
    });

    it('passes a round that scheduled everyone active when it was asked for', async () => {
      const jobId = `open-round.${programmeId}.${period}`;
      await store.append(`beneficiary-${thirdBeneficiary}`, [
        raw('BeneficiaryEnrolled', { beneficiaryId: thirdBeneficiary, programmeId, at }),
      ]);
      await store.append(`bank-job-${jobId}`, [
        raw('BankJobRequested', { jobId, queue: 'open-round', data: { programmeId, period }, at }),
      ]);
      await scheduleThird();
      await store.append(`bank-job-${jobId}`, [
        raw('BankJobFinished', { jobId, outcome: 'completed', reason: null, at }),
      ]);
      expect(await violated()).toEqual([]);
    });
  });

  it('the CLI prints JSON and exits 1 on a violation, 0 on a clean ledger', async () => {
    const runCheck = () =>
      promisify(execFile)(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          'apps/cli/src/main.ts',
          'check',
          '--json',
        ],
        {
          cwd: join(__dirname, '..', '..'),
          env: { ...process.env, SQLITE_PATH: path, TS_NODE_PROJECT: 'tsconfig.json' },
        },
      ).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const clean = await runCheck();
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, violations: [] });

    await store.append(`programme-${programmeId}`, [
      raw('BudgetReserved', { programmeId, reservationId: 'y', amount: '1.00', batchId }),
    ]);
    const broken = await runCheck();
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).violations).toEqual([
      expect.objectContaining({ invariant: 'budget-within-ceiling', streamName: `programme-${programmeId}` }),
      expect.objectContaining({ invariant: 'budget-matches-approvals', streamName: `programme-${programmeId}` }),
    ]);
  });
});
