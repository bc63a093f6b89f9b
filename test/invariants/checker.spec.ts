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
    await run(`payment-${item.paymentId}`, paymentDecider, {
      type: 'BatchPayment',
      data: { paymentId: item.paymentId, batchId, account },
      context: context('maker'),
    });
  }
  const created = await run(
    `batch-${batchId}`,
    batchDecider,
    {
      type: 'CreateBatch',
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
    expect(await violated()).toEqual(['budget-within-ceiling']);
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
    ]);
  });
});
