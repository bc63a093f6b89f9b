import { amountOf, formatAmount, ZERO } from '@salur/kernel';
import type Decimal from 'decimal.js';
import { paymentIdFor } from '@salur/payments/domain';
import type { Violation } from './violation';

/** What the checker needs of an event: the stored record, without any infrastructure type. */
export interface LoggedEvent {
  readonly streamName: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
}

interface ProgrammeBudget {
  ceiling: Decimal;
  /** Reserved minus released: what is held now. */
  held: Decimal;
}

interface BatchFacts {
  makerId: string;
  count: number;
  controlSum: string;
  lines: Map<string, string>;
  contentHash: string;
  approvers: Set<string>;
}

/**
 * Checks the ledger's invariants event by event, in log order, without trusting the deciders
 * that wrote the events: it is what an auditor runs over a store that may have been tampered
 * with. Memory holds one small entry per stream, payment, batch and programme.
 */
export class EventInvariants {
  private readonly violations: Violation[] = [];
  private readonly lastRevision = new Map<string, number>();
  private readonly approvedAmount = new Map<string, string>();
  /** Short credits whose flag must be the very next event of their stream. */
  private readonly awaitingFlag = new Map<string, LoggedEvent>();
  private readonly budgets = new Map<string, ProgrammeBudget>();
  private readonly batches = new Map<string, BatchFacts>();
  private events = 0;

  observe(event: LoggedEvent): void {
    this.events++;
    this.checkRevision(event);
    this.checkFlagFollows(event);
    const data = event.data;
    switch (event.type) {
      case 'PaymentScheduled':
        return this.paymentScheduled(event, data);
      case 'PaymentCredited':
        return this.paymentCredited(event, data);
      case 'ProgrammeCreated':
        this.budgets.set(String(data.programmeId), { ceiling: amountOf(String(data.budgetCeiling)), held: ZERO });
        return;
      case 'BudgetCeilingRaised':
        return this.withBudget(event, (budget) => (budget.ceiling = amountOf(String(data.newCeiling))));
      case 'BudgetReserved':
        return this.withBudget(event, (budget) => (budget.held = budget.held.plus(amountOf(String(data.amount)))));
      case 'BudgetReleased':
        return this.withBudget(event, (budget) => (budget.held = budget.held.minus(amountOf(String(data.amount)))));
      case 'BatchCreated':
        return this.batchCreated(event, data);
      case 'BatchChanged':
        return this.batchChanged(event, data);
      case 'BatchApprovalRecorded':
        return this.approvalRecorded(event, data);
      case 'BatchFileGenerated':
        return this.fileGenerated(event, data);
    }
  }

  finish(): { readonly events: number; readonly violations: readonly Violation[] } {
    for (const credit of this.awaitingFlag.values()) {
      this.fail('credited-equals-approved', credit, 'a short credit was never flagged as a deduction');
    }
    this.awaitingFlag.clear();
    return { events: this.events, violations: this.violations };
  }

  private checkRevision(event: LoggedEvent): void {
    const expected = (this.lastRevision.get(event.streamName) ?? -1) + 1;
    if (event.revision !== expected) {
      this.fail('gapless-revisions', event, `revision ${event.revision} follows ${expected - 1}`);
    }
    this.lastRevision.set(event.streamName, event.revision);
  }

  private checkFlagFollows(event: LoggedEvent): void {
    const credit = this.awaitingFlag.get(event.streamName);
    if (!credit) return;
    this.awaitingFlag.delete(event.streamName);
    if (event.type !== 'PaymentDeductionFlagged') {
      this.fail('credited-equals-approved', credit, 'a short credit is not followed by its deduction flag');
    }
  }

  private paymentScheduled(event: LoggedEvent, data: LoggedEvent['data']): void {
    const paymentId = String(data.paymentId);
    const derived = paymentIdFor(String(data.programmeId), String(data.period), String(data.beneficiaryId));
    // A payment whose id is not the derived one could be a second payment for the same period.
    if (paymentId !== derived || event.streamName !== `payment-${paymentId}`) {
      this.fail(
        'one-payment-per-period',
        event,
        `payment ${paymentId} is not the one id of its programme, period and beneficiary`,
      );
    }
    if (this.approvedAmount.has(paymentId)) {
      this.fail('one-payment-per-period', event, `payment ${paymentId} is scheduled twice`);
    }
    this.approvedAmount.set(paymentId, String(data.amount));
  }

  private paymentCredited(event: LoggedEvent, data: LoggedEvent['data']): void {
    const approved = this.approvedAmount.get(String(data.paymentId));
    if (approved !== undefined && approved !== data.approvedAmount) {
      this.fail(
        'credited-equals-approved',
        event,
        `approved ${approved}, but the credit says ${String(data.approvedAmount)}`,
      );
    }
    const shortfall = amountOf(String(data.approvedAmount)).minus(amountOf(String(data.creditedAmount)));
    if (formatAmount(shortfall) !== data.deductedAmount) {
      this.fail(
        'credited-equals-approved',
        event,
        `approved − credited is ${formatAmount(shortfall)}, recorded deduction ${String(data.deductedAmount)}`,
      );
    }
    if (shortfall.isNegative()) this.fail('credited-equals-approved', event, 'credited more than approved');
    if (shortfall.greaterThan(0)) this.awaitingFlag.set(event.streamName, event);
  }

  private withBudget(event: LoggedEvent, change: (budget: ProgrammeBudget) => void): void {
    const budget = this.budgets.get(String(event.data.programmeId));
    if (!budget) return this.fail('budget-within-ceiling', event, 'budget event of an unknown programme');
    change(budget);
    if (budget.held.greaterThan(budget.ceiling)) {
      this.fail(
        'budget-within-ceiling',
        event,
        `reserved ${formatAmount(budget.held)} exceeds the ceiling ${formatAmount(budget.ceiling)}`,
      );
    }
  }

  private batchCreated(event: LoggedEvent, data: LoggedEvent['data']): void {
    const lines = new Map(
      (data.payments as Array<{ paymentId: string; amount: string }>).map((line) => [line.paymentId, line.amount]),
    );
    const batch: BatchFacts = {
      makerId: String(data.makerId),
      count: Number(data.count),
      controlSum: String(data.controlSum),
      lines,
      contentHash: String(data.contentHash),
      approvers: new Set(),
    };
    this.batches.set(String(data.batchId), batch);
    this.checkTotals(event, batch);
  }

  private batchChanged(event: LoggedEvent, data: LoggedEvent['data']): void {
    const batch = this.batches.get(String(data.batchId));
    if (!batch) return this.fail('batch-totals', event, 'change of an unknown batch');
    for (const paymentId of data.removedPaymentIds as string[]) batch.lines.delete(paymentId);
    batch.count = Number(data.count);
    batch.controlSum = String(data.controlSum);
    batch.contentHash = String(data.contentHash);
    batch.approvers.clear();
    this.checkTotals(event, batch);
  }

  private checkTotals(event: LoggedEvent, batch: BatchFacts): void {
    let total = ZERO;
    for (const amount of batch.lines.values()) total = total.plus(amountOf(amount));
    if (batch.lines.size !== batch.count || formatAmount(total) !== batch.controlSum) {
      this.fail(
        'batch-totals',
        event,
        `lists ${batch.lines.size} payments of ${formatAmount(total)}, says ${batch.count} of ${batch.controlSum}`,
      );
    }
  }

  private approvalRecorded(event: LoggedEvent, data: LoggedEvent['data']): void {
    const batch = this.batches.get(String(data.batchId));
    if (!batch) return this.fail('four-eyes', event, 'approval of an unknown batch');
    const approverId = String(data.approverId);
    if (approverId === batch.makerId) this.fail('four-eyes', event, `the maker ${approverId} approved their own batch`);
    if (batch.approvers.has(approverId)) this.fail('four-eyes', event, `${approverId} approved the same content twice`);
    if (data.contentHash !== batch.contentHash)
      this.fail('four-eyes', event, 'an approval names content the batch no longer has');
    batch.approvers.add(approverId);
  }

  private fileGenerated(event: LoggedEvent, data: LoggedEvent['data']): void {
    const batch = this.batches.get(String(data.batchId));
    if (!batch) return this.fail('batch-totals', event, 'file of an unknown batch');
    if (Number(data.count) !== batch.count || String(data.controlSum) !== batch.controlSum) {
      this.fail(
        'batch-totals',
        event,
        `the file says ${String(data.count)} payments of ${String(data.controlSum)}, the batch ${batch.count} of ${batch.controlSum}`,
      );
    }
  }

  private fail(invariant: Violation['invariant'], event: LoggedEvent, message: string): void {
    this.violations.push({ invariant, position: event.position, streamName: event.streamName, message });
  }
}
