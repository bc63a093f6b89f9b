import type { BatchEvent } from '@salur/batches';
import type { BeneficiaryEvent } from '@salur/beneficiaries';
import { amountOf, formatAmount } from '@salur/kernel';
import type { PaymentEvent } from '@salur/payments';
import type { ProgrammeEvent } from '@salur/programmes';

export type LedgerEvent = ProgrammeEvent | BeneficiaryEvent | PaymentEvent | BatchEvent;

export interface ScenarioAppend {
  readonly streamName: string;
  readonly events: readonly LedgerEvent[];
}

export interface ScenarioOptions {
  readonly programmes: number;
  readonly beneficiariesPerProgramme: number;
  readonly periods: readonly string[];
  readonly batchSize: number;
}

const BENEFIT = '600000.00';
const DEDUCTED = '2500.00';
const REGIONS = ['16.06.01.2001', '16.06.02.2004', '16.71.03.1001', '91.71.02.1003', '94.71.01.1002'];
const ACCOUNT = (n: number, attempt: number) => ({
  bankCode: attempt === 1 ? '002' : '009',
  accountNumber: `00${String(n).padStart(10, '0')}${attempt}`,
  accountHolderName: `Penerima ${n}`,
});

/**
 * A whole programme year in events, deterministic: programmes, enrolments (some accounts changed,
 * some suspended and reinstated, some exited), then per period a round: payments scheduled at one
 * instant (ties broken by id in pages), batched, approved by two officers, budget reserved, sent,
 * and credited; every tenth payment is rejected, reissued to a fixed account and credited, and
 * every tenth other one arrives short and is flagged. Each stream's facts of a step are one append.
 */
export function ledgerScenario(options: ScenarioOptions): ScenarioAppend[] {
  const appends: ScenarioAppend[] = [];
  let second = 0;
  const at = () => new Date(Date.UTC(2026, 0, 1) + 1_000 * second++).toISOString();
  for (let p = 1; p <= options.programmes; p++) {
    const programmeId = `programme-${p}`;
    appends.push({
      streamName: `programme-${programmeId}`,
      events: [programmeCreated(programmeId, p, at()), scheduleDeclared(programmeId, options.periods, at())],
    });
    const beneficiaryIds: string[] = [];
    for (let b = 1; b <= options.beneficiariesPerProgramme; b++) {
      const n = p * 100_000 + b;
      const beneficiaryId = `beneficiary-${n}`;
      beneficiaryIds.push(beneficiaryId);
      appends.push({
        streamName: `beneficiary-${beneficiaryId}`,
        events: enrolment(programmeId, beneficiaryId, n, at),
      });
    }
    for (const period of options.periods) appends.push(...round(programmeId, period, beneficiaryIds, options, at));
  }
  return appends;
}

export function eventCount(appends: readonly ScenarioAppend[]): number {
  return appends.reduce((sum, append) => sum + append.events.length, 0);
}

/** The scenario's programme declares exactly the periods it pays (the checker refuses any other). */
function scheduleDeclared(programmeId: string, periods: readonly string[], now: string): LedgerEvent {
  return {
    type: 'ProgrammeScheduleDeclared',
    data: { programmeId, kind: 'monthly', periods: [...periods], declaredBy: 'programme-officer-1', at: now },
  };
}

function programmeCreated(programmeId: string, p: number, now: string): LedgerEvent {
  return {
    type: 'ProgrammeCreated',
    data: {
      programmeId,
      code: `PKH-${p}`,
      name: `Programme ${p}`,
      fiscalYear: 2025 + (p % 2),
      currency: 'IDR',
      budgetCeiling: '999999999999999.99',
      benefitAmount: BENEFIT,
      createdBy: 'programme-officer-1',
      at: now,
    },
  };
}

function enrolment(programmeId: string, beneficiaryId: string, n: number, at: () => string): LedgerEvent[] {
  const base = { beneficiaryId, programmeId };
  const events: LedgerEvent[] = [
    {
      type: 'BeneficiaryEnrolled',
      data: {
        ...base,
        // Papua NIKs (91…, 94…) exceed 2^53: they only survive as strings.
        nik: `${n % 2 === 0 ? '9171' : '1606'}${String(n).padStart(12, '0')}`,
        kk: `${n % 2 === 0 ? '9171' : '1606'}${String(n + 7).padStart(12, '0')}`,
        name: `Penerima ${n}`,
        regionCode: REGIONS[n % REGIONS.length],
        bankAccount: ACCOUNT(n, 1),
        enrolledBy: 'enrolment-officer-1',
        at: at(),
      },
    },
  ];
  if (n % 5 === 0) {
    const change = { previousBankAccount: ACCOUNT(n, 1), bankAccount: ACCOUNT(n, 2), reason: 'new account' };
    events.push({
      type: 'BankAccountChanged',
      data: { ...base, ...change, changedBy: 'enrolment-officer-1', at: at() },
    });
  }
  if (n % 7 === 0) {
    events.push({ type: 'BeneficiarySuspended', data: { ...base, reason: 'audit', suspendedBy: 'o-1', at: at() } });
    if (n % 2 === 0) {
      events.push({
        type: 'BeneficiaryReinstated',
        data: { ...base, reason: 'cleared', reinstatedBy: 'o-1', at: at() },
      });
    }
  }
  if (n % 13 === 0)
    events.push({ type: 'BeneficiaryExited', data: { ...base, reason: 'moved', exitedBy: 'o-1', at: at() } });
  return events;
}

function round(
  programmeId: string,
  period: string,
  beneficiaryIds: readonly string[],
  options: ScenarioOptions,
  at: () => string,
): ScenarioAppend[] {
  const appends: ScenarioAppend[] = [];
  const scheduledAt = at();
  const batches: string[][] = [];
  for (let start = 0; start < beneficiaryIds.length; start += options.batchSize) {
    batches.push(beneficiaryIds.slice(start, start + options.batchSize));
  }
  const reservations: LedgerEvent[] = [];
  batches.forEach((members, index) => {
    const batchId = `batch-${programmeId}-${period}-${index + 1}`;
    const controlSum = formatAmount(amountOf(BENEFIT).times(members.length));
    appends.push({
      streamName: `batch-${batchId}`,
      events: batchLife(batchId, programmeId, period, members.length, controlSum, at),
    });
    reservations.push({
      type: 'BudgetReserved',
      data: {
        programmeId,
        reservationId: `reservation-${batchId}`,
        batchId,
        amount: controlSum,
        remainingBudget: '0.00',
        reservedBy: 'finance-officer-2',
        at: at(),
      },
    });
    members.forEach((beneficiaryId, position) => {
      const paymentId = `payment-${programmeId}-${period}-${beneficiaryId}`;
      const n = Number(beneficiaryId.split('-')[1]);
      const events = paymentLife(
        { paymentId, programmeId, period, beneficiaryId, batchId, n, scheduledAt, position },
        at,
      );
      appends.push({ streamName: `payment-${paymentId}`, events });
    });
  });
  appends.push({ streamName: `programme-${programmeId}`, events: reservations });
  return appends;
}

function batchLife(
  batchId: string,
  programmeId: string,
  period: string,
  count: number,
  controlSum: string,
  at: () => string,
): LedgerEvent[] {
  const contentHash = `hash-${batchId}`;
  return [
    {
      type: 'BatchCreated',
      data: {
        batchId,
        programmeId,
        period,
        makerId: 'finance-officer-1',
        payments: [],
        count,
        controlSum,
        contentHash,
        requiredApprovals: 2,
        expiresAt: '2026-12-31T00:00:00.000Z',
        at: at(),
      },
    },
    ...['finance-officer-2', 'finance-officer-3'].map((approverId, index): LedgerEvent => ({
      type: 'BatchApprovalRecorded',
      data: { batchId, approverId, contentHash, approvals: index + 1, requiredApprovals: 2, at: at() },
    })),
    {
      type: 'BatchApproved',
      data: {
        batchId,
        programmeId,
        contentHash,
        approverIds: ['finance-officer-2', 'finance-officer-3'],
        count,
        controlSum,
        at: at(),
      },
    },
  ];
}

interface PaymentPlan {
  readonly paymentId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly beneficiaryId: string;
  readonly batchId: string;
  readonly n: number;
  readonly scheduledAt: string;
  readonly position: number;
}

function paymentLife(plan: PaymentPlan, at: () => string): LedgerEvent[] {
  const { paymentId, programmeId, period, beneficiaryId, batchId, n, scheduledAt, position } = plan;
  const events: LedgerEvent[] = [
    {
      type: 'PaymentScheduled',
      data: { paymentId, programmeId, period, beneficiaryId, amount: BENEFIT, scheduledBy: 'worker', at: scheduledAt },
    },
    { type: 'PaymentBatched', data: { paymentId, batchId, account: ACCOUNT(n, 1), attempt: 1, at: at() } },
    { type: 'PaymentSentToBank', data: { paymentId, batchId, at: at() } },
  ];
  if (position % 10 === 3) {
    const reissueBatchId = `${batchId}-reissue`;
    events.push(
      { type: 'PaymentRejected', data: { paymentId, batchId, reasonCode: 'AC01', at: at() } },
      {
        type: 'PaymentReissued',
        data: {
          paymentId,
          previousAccount: ACCOUNT(n, 1),
          account: ACCOUNT(n, 2),
          attempt: 2,
          reissuedBy: 'o-1',
          at: at(),
        },
      },
      {
        type: 'PaymentBatched',
        data: { paymentId, batchId: reissueBatchId, account: ACCOUNT(n, 2), attempt: 2, at: at() },
      },
      { type: 'PaymentSentToBank', data: { paymentId, batchId: reissueBatchId, at: at() } },
      credited(paymentId, reissueBatchId, BENEFIT, at()),
    );
    return events;
  }
  if (position % 10 === 7) {
    const short = formatAmount(amountOf(BENEFIT).minus(amountOf(DEDUCTED)));
    events.push(credited(paymentId, batchId, short, at()), {
      type: 'PaymentDeductionFlagged',
      data: { paymentId, batchId, approvedAmount: BENEFIT, creditedAmount: short, deductedAmount: DEDUCTED, at: at() },
    });
    return events;
  }
  events.push(credited(paymentId, batchId, BENEFIT, at()));
  return events;
}

function credited(paymentId: string, batchId: string, creditedAmount: string, now: string): LedgerEvent {
  return {
    type: 'PaymentCredited',
    data: {
      paymentId,
      batchId,
      approvedAmount: BENEFIT,
      creditedAmount,
      deductedAmount: formatAmount(amountOf(BENEFIT).minus(amountOf(creditedAmount))),
      bankReference: `ref-${paymentId}`,
      valueDate: now.slice(0, 10),
      at: now,
    },
  };
}
