import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand, LEDGER_CONFIG, LedgerConfig, LedgerContext, loadStream, metadataOf } from '@salur/application';
import { BatchItem, batchDecider, batchStreamName } from '../domain';
import { beneficiaryDecider, beneficiaryStreamName, isPayable } from '@salur/beneficiaries/domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { deterministicId, DomainError, invalid } from '@salur/kernel';
import { isPeriod, paymentDecider, PaymentState, paymentStreamName } from '@salur/payments/domain';
import { ReportProgress } from '@salur/queue';
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
    if (existing.state.status !== 'absent') return summaryOf(planned.batchId, existing.state);
    const inRange = [...payments].filter(([id]) => id >= planned.first && id <= planned.last);
    // Payments this batch already claimed (before a crash) first, then the pool, up to the limit.
    const members = [
      ...inRange.filter(([, state]) => claimedBy(state, planned.batchId)),
      ...inRange.filter(([, state]) => inPool(state)),
    ].slice(0, this.config.batchMaxPayments);
    const claimed: string[] = [];
    for (const [paymentId] of members) {
      if (await this.claim(paymentId, planned.batchId, context)) claimed.push(paymentId);
    }
    if (claimed.length === 0) return undefined;
    const items = await this.itemsOf(planned.batchId, claimed);
    const expiresAt = new Date(Date.parse(context.now) + this.config.batchApprovalTtlMs).toISOString();
    try {
      const outcome = await handleCommand(
        this.store,
        batchStreamName(planned.batchId),
        batchDecider,
        {
          type: 'CreateBatch',
          data: {
            batchId: planned.batchId,
            ...round,
            items,
            policy: this.config.approvalPolicy,
            maxPayments: this.config.batchMaxPayments,
            expiresAt,
          },
          context,
        },
        { metadata: metadataOf(context) },
      );
      return summaryOf(planned.batchId, outcome.state);
    } catch (error) {
      if (error instanceof DomainError) await this.giveBack(planned.batchId, claimed, error.code, context);
      throw error;
    }
  }

  /** Claims a payment for the batch with the beneficiary's account now; false if it cannot join. */
  private async claim(paymentId: string, batchId: string, context: LedgerContext): Promise<boolean> {
    const payment = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
    if (claimedBy(payment.state, batchId)) return true;
    if (!inPool(payment.state) || payment.state.status === 'absent') return false;
    const beneficiary = await loadStream(
      this.store,
      beneficiaryStreamName(payment.state.beneficiaryId),
      beneficiaryDecider,
    );
    if (!isPayable(beneficiary.state)) return false;
    try {
      await handleCommand(
        this.store,
        paymentStreamName(paymentId),
        paymentDecider,
        { type: 'BatchPayment', data: { paymentId, batchId, account: beneficiary.state.bankAccount }, context },
        { metadata: metadataOf(context) },
      );
      return true;
    } catch (error) {
      // Taken by another batch since the plan was made: it stays where it is.
      if (error instanceof DomainError) return false;
      throw error;
    }
  }

  /** The batch's items from the claims themselves: the account snapshot each claim recorded. */
  private async itemsOf(batchId: string, paymentIds: readonly string[]): Promise<BatchItem[]> {
    const items: BatchItem[] = [];
    for (const paymentId of paymentIds) {
      const { state } = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
      if (!claimedBy(state, batchId) || state.status === 'absent' || !state.account) {
        throw new Error(`Payment ${paymentId} was claimed for batch ${batchId} but is ${state.status}`);
      }
      items.push({ paymentId, beneficiaryId: state.beneficiaryId, amount: state.amount, account: state.account });
    }
    return items;
  }

  private async giveBack(batchId: string, paymentIds: readonly string[], code: string, context: LedgerContext) {
    for (const paymentId of paymentIds) {
      await handleCommand(
        this.store,
        paymentStreamName(paymentId),
        paymentDecider,
        { type: 'UnbatchPayment', data: { paymentId, batchId, reason: `batch not created: ${code}` }, context },
        { metadata: metadataOf(context) },
      ).catch((error: Error) => this.logger.error(`Could not give back ${paymentId}: ${error.message}`));
    }
  }
}

function inPool(state: PaymentState): boolean {
  return state.status === 'scheduled' || state.status === 'reissued';
}

function claimedBy(state: PaymentState, batchId: string): boolean {
  return state.status === 'batched' && state.batchId === batchId;
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
