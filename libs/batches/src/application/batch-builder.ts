import { Inject, Injectable, Logger } from '@nestjs/common';
import { LEDGER_CONFIG, LedgerConfig, LedgerContext, loadStream } from '@salur/application';
import { BatchItem, batchDecider, batchStreamName } from '../domain';
import { beneficiaryDecider, beneficiaryStreamName, isPayable } from '@salur/beneficiaries/domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { deterministicId, DomainError, invalid } from '@salur/kernel';
import { isPeriod, paymentDecider, PaymentState, paymentStreamName } from '@salur/payments/domain';
import { ReportProgress } from '@salur/queue';
import { BatchWorkflows } from './batch-workflows';
import { paymentsOfRound } from './round-payments';

/** Namespace of the batch ids a build job derives from its own id (fixed forever). */
export const BUILD_BATCH_ID_NAMESPACE = '1f7c2a9e-5b3d-5c48-8e61-4a0d9b7c3e25';

/** One batch of a build's plan: the payments whose sorted ids fall in [first, last]. */
export interface PlannedBatch {
  readonly batchId: string;
  readonly first: string;
  readonly last: string;
}

export interface BuiltBatch {
  readonly batchId: string;
  readonly count: number;
  readonly controlSum: string;
  readonly requiredApprovals: number;
}

/**
 * Groups a round's unbatched payments (scheduled, or reissued after a rejection or return) into
 * batches of at most BATCH_MAX_PAYMENTS, with the requesting officer as maker.
 *
 * Each payment is claimed in its own stream before the batch is recorded, so a payment sits in
 * one open batch only. The plan (batch ids derived from the job id, and the range of sorted
 * payment ids each covers) is saved before the first claim, so a retry after a crash claims the
 * same payments for the same batches, and records each batch once (CreateBatch is idempotent for
 * the same maker and content). A payment another batch took in the meantime is simply left out.
 */
@Injectable()
export class BatchBuilder {
  private readonly logger = new Logger('BatchBuilder');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly workflows: BatchWorkflows,
  ) {}

  async build(
    round: { programmeId: string; period: string },
    jobId: string,
    context: LedgerContext,
    savedPlan: readonly PlannedBatch[] | undefined,
    savePlan: (plan: readonly PlannedBatch[]) => Promise<void>,
    report: ReportProgress,
  ): Promise<BuiltBatch[]> {
    if (!isPeriod(round.period)) throw invalid('INVALID_PERIOD', `Period '${round.period}' is invalid`, 'period');
    const payments = await this.loadRound(round.programmeId, round.period);
    let plan = savedPlan;
    if (!plan) {
      plan = this.plan(jobId, payments);
      await savePlan(plan);
    }
    const total = plan.length;
    const built: BuiltBatch[] = [];
    for (const [index, planned] of plan.entries()) {
      const batch = await this.buildOne(round, planned, payments, context);
      if (batch) built.push(batch);
      await report({ done: index + 1, total, batches: built.length });
    }
    return built;
  }

  private async loadRound(programmeId: string, period: string): Promise<Map<string, PaymentState>> {
    const states = new Map<string, PaymentState>();
    for (const paymentId of await paymentsOfRound(this.store, programmeId, period)) {
      states.set(paymentId, (await loadStream(this.store, paymentStreamName(paymentId), paymentDecider)).state);
    }
    return states;
  }

  private plan(jobId: string, payments: ReadonlyMap<string, PaymentState>): PlannedBatch[] {
    const pool = [...payments].filter(([, state]) => inPool(state)).map(([paymentId]) => paymentId);
    const max = this.config.batchMaxPayments;
    const plan: PlannedBatch[] = [];
    for (let offset = 0; offset < pool.length; offset += max) {
      const chunk = pool.slice(offset, offset + max);
      plan.push({
        batchId: deterministicId(BUILD_BATCH_ID_NAMESPACE, `${jobId}/${plan.length}`),
        first: chunk[0],
        last: chunk[chunk.length - 1],
      });
    }
    return plan;
  }

  private async buildOne(
    round: { programmeId: string; period: string },
    planned: PlannedBatch,
    payments: ReadonlyMap<string, PaymentState>,
    context: LedgerContext,
  ): Promise<BuiltBatch | undefined> {
    const existing = await loadStream(this.store, batchStreamName(planned.batchId), batchDecider);
    if (existing.state.status === 'forming') return this.finish(planned.batchId, context);
    if (existing.state.status !== 'absent') return summaryOf(planned.batchId, existing.state);
    const inRange = [...payments].filter(([id, state]) => id >= planned.first && id <= planned.last && inPool(state));
    const items: BatchItem[] = [];
    for (const [paymentId, state] of inRange.slice(0, this.config.batchMaxPayments)) {
      const item = await this.itemOf(paymentId, state);
      if (item) items.push(item);
    }
    if (items.length === 0) return undefined;
    try {
      return summaryOf(planned.batchId, (await this.workflows.create(planned.batchId, round, items, context)).state);
    } catch (error) {
      return this.skipped(planned.batchId, error);
    }
  }

  /** A batch this build started before a crash: its creation is finished (or abandoned) now. */
  private async finish(batchId: string, context: LedgerContext): Promise<BuiltBatch | undefined> {
    try {
      return summaryOf(batchId, (await this.workflows.finishCreation(batchId, context)).state);
    } catch (error) {
      return this.skipped(batchId, error);
    }
  }

  /**
   * A payment another batch claimed since the plan was made abandons this batch (its claims go
   * back to the pool): the build goes on with the next, and a later build picks those payments up.
   */
  private skipped(batchId: string, error: unknown): undefined {
    if (!(error instanceof DomainError)) throw error;
    this.logger.warn(`Batch ${batchId} not built (${error.code}); its payments stay in the pool`);
    return undefined;
  }

  /** The payment as the batch will carry it, with its beneficiary's account now; none if unpayable. */
  private async itemOf(paymentId: string, payment: PaymentState): Promise<BatchItem | undefined> {
    if (payment.status === 'absent') return undefined;
    const beneficiary = await loadStream(this.store, beneficiaryStreamName(payment.beneficiaryId), beneficiaryDecider);
    if (!isPayable(beneficiary.state)) return undefined;
    return {
      paymentId,
      beneficiaryId: payment.beneficiaryId,
      amount: payment.amount,
      account: beneficiary.state.bankAccount,
      beneficiaryRevision: beneficiary.revision,
    };
  }
}

function inPool(state: PaymentState): boolean {
  return state.status === 'scheduled' || state.status === 'reissued';
}

function summaryOf(batchId: string, state: ReturnType<typeof batchDecider.evolve>): BuiltBatch | undefined {
  if (state.status === 'absent') return undefined;
  return {
    batchId,
    count: state.payments.length,
    controlSum: state.controlSum,
    requiredApprovals: state.requiredApprovals,
  };
}
