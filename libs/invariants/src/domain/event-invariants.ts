import { amountOf, type ApprovalPolicy, formatAmount, requiredApprovals, ZERO } from '@salur/kernel';
import type Decimal from 'decimal.js';
import { BatchObligations, type BatchObligation } from '@salur/batches/domain';
import { paymentIdFor } from '@salur/payments/domain';
import { periodsOverlap } from '@salur/programmes/domain';
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
  programmeId: string;
  requiredApprovals: number;
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
/**
 * When an obligation counts as stuck: a workflow step younger than the grace may still be under
 * way in a live process (the checker may run beside the service), so only older ones are faults.
 */
export interface WorkflowDeadline {
  readonly now: string;
  readonly graceMs: number;
}

/** The service's default WORKFLOW_GRACE: what a live process may still be finishing. */
export const DEFAULT_WORKFLOW_GRACE_MS = 120_000;

interface RoundRequest {
  readonly programmeId: string;
  readonly period: string;
  /** Who was active in the programme when the round was asked for. */
  readonly active: readonly string[];
  readonly event: LoggedEvent;
}

export class EventInvariants {
  private readonly violations: Violation[] = [];
  private readonly obligations = new BatchObligations();
  /** Per programme, each beneficiary's standing: true while active. */
  private readonly activeByProgramme = new Map<string, Map<string, boolean>>();
  /** `programmeId/period` → the beneficiaries with a payment scheduled. */
  private readonly scheduled = new Map<string, Set<string>>();
  private readonly roundRequests = new Map<string, RoundRequest>();
  /** Per programme, the approval policy in force (none until it declares one). */
  private readonly policies = new Map<string, ApprovalPolicy>();
  /** Per batch being made, the policy in force when it was started. */
  private readonly policyAtStart = new Map<string, ApprovalPolicy>();
  /** Per programme, the periods its schedule declared (none until it declares one). */
  private readonly declaredPeriods = new Map<string, ReadonlySet<string>>();
  /** `programmeId/beneficiaryId` → the periods scheduled for them. */
  private readonly periodsOfBeneficiary = new Map<string, string[]>();
  private readonly lastRevision = new Map<string, number>();
  private readonly approvedAmount = new Map<string, string>();
  /** Short credits whose flag must be the very next event of their stream. */
  private readonly awaitingFlag = new Map<string, LoggedEvent>();
  private readonly budgets = new Map<string, ProgrammeBudget>();
  private readonly batches = new Map<string, BatchFacts>();
  private events = 0;

  constructor(private readonly deadline?: WorkflowDeadline) {}

  observe(event: LoggedEvent): void {
    this.events++;
    this.checkRevision(event);
    this.checkFlagFollows(event);
    this.obligations.observe(event);
    this.observeRounds(event);
    const data = event.data;
    switch (event.type) {
      case 'PaymentScheduled':
        this.checkPeriod(event, data);
        return this.paymentScheduled(event, data);
      case 'ApprovalPolicyDeclared':
        this.policies.set(String(data.programmeId), { tiers: data.tiers as ApprovalPolicy['tiers'] });
        return;
      case 'BatchCreationStarted': {
        const policy = this.policies.get(String(data.programmeId));
        if (policy) this.policyAtStart.set(String(data.batchId), policy);
        return;
      }
      case 'BatchApproved':
        return this.batchApproved(event, data);
      case 'ProgrammeScheduleDeclared':
        this.declaredPeriods.set(String(data.programmeId), new Set(data.periods as string[]));
        return;
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
    this.checkObligations();
    return { events: this.events, violations: this.violations };
  }

  /** What a crash or a refusal left undone, past the grace a live workflow may still need. */
  private checkObligations(): void {
    const now = Date.parse(this.deadline?.now ?? new Date().toISOString());
    const graceMs = this.deadline?.graceMs ?? DEFAULT_WORKFLOW_GRACE_MS;
    for (const obligation of this.obligations.owed()) {
      if (Date.parse(obligation.since) + graceMs > now) continue;
      this.violations.push(violationOf(obligation));
    }
    for (const batchId of this.obligations.unreservedApprovals()) {
      this.violations.push({
        invariant: 'budget-matches-approvals',
        message: `batch ${batchId} is approved, but no budget is reserved for its approved content`,
      });
    }
  }

  /** A round asked for (an open-round job requested) must schedule everyone active then. */
  private observeRounds(event: LoggedEvent): void {
    const data = event.data;
    switch (event.type) {
      case 'BeneficiaryEnrolled':
      case 'BeneficiaryReinstated':
      case 'BeneficiarySuspended':
      case 'BeneficiaryExited': {
        const programme = String(data.programmeId);
        const standing = this.activeByProgramme.get(programme) ?? new Map<string, boolean>();
        standing.set(
          String(data.beneficiaryId),
          event.type === 'BeneficiaryEnrolled' || event.type === 'BeneficiaryReinstated',
        );
        this.activeByProgramme.set(programme, standing);
        return;
      }
      case 'PaymentScheduled': {
        const key = `${String(data.programmeId)}/${String(data.period)}`;
        const ids = this.scheduled.get(key) ?? new Set<string>();
        ids.add(String(data.beneficiaryId));
        this.scheduled.set(key, ids);
        return;
      }
      case 'BankJobRequested': {
        const request = data.data as { programmeId?: unknown; period?: unknown } | undefined;
        if (!String(data.queue).includes('open-round') || typeof request?.programmeId !== 'string') return;
        const standing = this.activeByProgramme.get(request.programmeId) ?? new Map<string, boolean>();
        const active = [...standing].filter(([, isActive]) => isActive).map(([id]) => id);
        this.roundRequests.set(String(data.jobId), {
          programmeId: request.programmeId,
          period: String(request.period),
          active,
          event,
        });
        return;
      }
      case 'BankJobFinished': {
        const round = this.roundRequests.get(String(data.jobId));
        if (!round || data.outcome !== 'completed') return;
        this.roundRequests.delete(String(data.jobId));
        const scheduled = this.scheduled.get(`${round.programmeId}/${round.period}`) ?? new Set<string>();
        const missed = round.active.filter((beneficiaryId) => !scheduled.has(beneficiaryId));
        if (missed.length > 0) {
          this.fail(
            'round-complete',
            event,
            `the round ${round.programmeId} ${round.period} completed without ${missed.length} beneficiary(ies) active when it was asked for (${missed.slice(0, 3).join(', ')})`,
          );
        }
        return;
      }
      default:
        return;
    }
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

  /** A payment names one declared period, and none of the beneficiary's others overlaps it. */
  private checkPeriod(event: LoggedEvent, data: LoggedEvent['data']): void {
    const programmeId = String(data.programmeId);
    const period = String(data.period);
    if (!this.declaredPeriods.get(programmeId)?.has(period)) {
      this.fail('declared-periods', event, `period ${period} is not declared by programme ${programmeId}`);
    }
    const key = `${programmeId}/${String(data.beneficiaryId)}`;
    const earlier = this.periodsOfBeneficiary.get(key) ?? [];
    const overlapping = earlier.find((other) => other !== period && periodsOverlap(other, period));
    if (overlapping !== undefined) {
      this.fail(
        'declared-periods',
        event,
        `period ${period} overlaps ${overlapping}, already scheduled for the beneficiary`,
      );
    }
    this.periodsOfBeneficiary.set(key, [...earlier, period]);
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
      programmeId: String(data.programmeId),
      requiredApprovals: Number(data.requiredApprovals),
      makerId: String(data.makerId),
      count: Number(data.count),
      controlSum: String(data.controlSum),
      lines,
      contentHash: String(data.contentHash),
      approvers: new Set(),
    };
    this.batches.set(String(data.batchId), batch);
    this.checkTotals(event, batch);
    this.checkPolicy(
      event,
      batch,
      this.policyAtStart.get(String(data.batchId)) ?? this.policies.get(batch.programmeId),
    );
    this.policyAtStart.delete(String(data.batchId));
  }

  /** The approvals a batch needs are those its programme's policy asks for its total. */
  private checkPolicy(event: LoggedEvent, batch: BatchFacts, policy: ApprovalPolicy | undefined): void {
    // A programme created before policies were declared followed the deployment's: not judged here.
    if (!policy) return;
    const needed = requiredApprovals(policy, amountOf(batch.controlSum));
    if (needed !== batch.requiredApprovals) {
      this.fail(
        'approval-policy',
        event,
        `the batch needs ${batch.requiredApprovals} approver(s), its programme's policy asks ${needed} for ${batch.controlSum}`,
      );
    }
  }

  private batchApproved(event: LoggedEvent, data: LoggedEvent['data']): void {
    const batch = this.batches.get(String(data.batchId));
    if (!batch) return this.fail('approval-policy', event, 'approval of an unknown batch');
    const approvers = new Set(data.approverIds as string[]);
    if (approvers.size < batch.requiredApprovals) {
      this.fail(
        'approval-policy',
        event,
        `approved by ${approvers.size} of the ${batch.requiredApprovals} approvers it needs`,
      );
    }
  }

  private batchChanged(event: LoggedEvent, data: LoggedEvent['data']): void {
    const batch = this.batches.get(String(data.batchId));
    if (!batch) return this.fail('batch-totals', event, 'change of an unknown batch');
    for (const paymentId of data.removedPaymentIds as string[]) batch.lines.delete(paymentId);
    batch.count = Number(data.count);
    batch.controlSum = String(data.controlSum);
    batch.contentHash = String(data.contentHash);
    batch.requiredApprovals = Number(data.requiredApprovals);
    batch.approvers.clear();
    this.checkTotals(event, batch);
    this.checkPolicy(event, batch, this.policies.get(batch.programmeId));
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

function violationOf(obligation: BatchObligation): Violation {
  switch (obligation.kind) {
    case 'finish-creation':
      return {
        invariant: 'workflows-finish',
        streamName: `batch-${obligation.batchId}`,
        message: `batch ${obligation.batchId} was started at ${obligation.since} and never created nor abandoned`,
      };
    case 'give-back':
      return {
        invariant: 'no-stranded-payment',
        streamName: `payment-${obligation.paymentId}`,
        message: `payment ${obligation.paymentId} is claimed by batch ${obligation.batchId}, which ${STRANDED_BECAUSE[obligation.why]}`,
      };
    case 'release':
      return {
        invariant: 'budget-matches-approvals',
        streamName: `programme-${obligation.programmeId}`,
        message: `${obligation.amount} stays reserved under ${obligation.reservationId}, though ${RELEASE_OWED_BECAUSE[obligation.why]}`,
      };
  }
}

const STRANDED_BECAUSE = {
  'batch-closed': 'is closed',
  'batch-abandoned': 'was abandoned',
  'not-listed': 'no longer lists it',
  'batch-missing': 'was never recorded',
} as const;

const RELEASE_OWED_BECAUSE = {
  'batch-closed': 'the batch is closed',
  'not-approved': 'no approval holds that content',
  'payment-rejected': 'the bank rejected the payment',
  'payment-returned': 'the bank returned the payment',
} as const;
