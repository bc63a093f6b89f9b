import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  CommandOutcome,
  crashPoint,
  handleCommand,
  LEDGER_CONFIG,
  LedgerConfig,
  LedgerContext,
  loadStream,
  metadataOf,
} from '@salur/application';
import { EVENT_STORE, EventStore, GlobalPosition } from '@salur/event-store';
import { beneficiaryDecider, beneficiaryStreamName, isPayable } from '@salur/beneficiaries/domain';
import { DomainError, notFound, ruleBroken } from '@salur/kernel';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { randomUUID } from 'node:crypto';
import {
  BatchCommand,
  BatchEvent,
  BatchLine,
  BatchObligation,
  BatchObligations,
  batchDecider,
  BatchState,
  batchStreamName,
} from '../domain';
import { approvalPolicyInForce } from './approval-policy-in-force';
import { returnPaymentsToPool } from './batch-holds';
import { itemsInBatch } from './batch-lines';

/** Events read per page while catching up with the log. */
const READ_PAGE = 5_000;
/** Obligations settled per pass: the next pass takes the rest. */
const MAX_SETTLED_PER_PASS = 10_000;

/** Who acts when the ledger finishes or compensates a workflow (or runs its scheduled pass) by itself. */
export const WORKFLOW_ACTOR = { userId: 'salur-workflows', role: 'admin' } as const;

export interface SettlePass {
  /** Obligations found (past their grace or not). */
  readonly owed: number;
  /** Of those, settled by this pass. */
  readonly settled: number;
  /** Of those, that failed (logged; the next pass tries again). */
  readonly failed: number;
}

type BatchOutcome = CommandOutcome<BatchState, BatchEvent>;

/**
 * The batch workflows: making a batch (claims in the payments' streams), changing and closing it
 * (giving payments back, releasing budget). Each step is an event; the live command runs the
 * steps one after another, and whatever a crash leaves undone is an obligation in the log
 * (BatchObligations) that the next pass of any process running this service settles, after a
 * grace period long enough never to overtake a live command. Every step is idempotent, so a
 * step run twice (by the live command and by a pass) changes nothing the second time.
 */
@Injectable()
export class BatchWorkflows implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BatchWorkflows');
  private readonly obligations = new BatchObligations();
  private position: GlobalPosition | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<SettlePass> | undefined;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** Starts a batch and sees its creation through: every payment claimed, then created; or abandoned. */
  async create(
    batchId: string,
    round: { readonly programmeId: string; readonly period: string },
    items: readonly BatchLine[],
    context: LedgerContext,
  ): Promise<BatchOutcome> {
    const expiresAt = new Date(Date.parse(context.now) + this.config.batchApprovalTtlMs).toISOString();
    await handleCommand(
      this.store,
      batchStreamName(batchId),
      batchDecider,
      {
        type: 'StartBatchCreation',
        data: {
          batchId,
          ...round,
          items,
          policy: await approvalPolicyInForce(this.store, round.programmeId, this.config.approvalPolicy),
          maxPayments: this.config.batchMaxPayments,
          expiresAt,
        },
        context,
      },
      { metadata: metadataOf(context) },
    );
    crashPoint('batch-create:started');
    return this.finishCreation(batchId, context);
  }

  /**
   * Claims what is left to claim and records the batch; if a claim is refused (another batch got
   * the payment first), abandons the batch and gives back its claims, then throws the refusal.
   */
  async finishCreation(batchId: string, context: LedgerContext): Promise<BatchOutcome> {
    const { state } = await loadStream(this.store, batchStreamName(batchId), batchDecider);
    if (state.status === 'forming') {
      const paymentIds = state.payments.map((line) => line.paymentId);
      const refusal = await this.claimAll(batchId, paymentIds, context);
      crashPoint('batch-create:claimed');
      if (refusal === undefined) {
        const items = await itemsInBatch(this.store, batchId, paymentIds);
        const created = await this.batchCommand({ type: 'CreateBatch', data: { batchId, items }, context }, context, [
          'BATCH_ABANDONED',
        ]);
        if (created) return created;
      } else {
        const reason = `payment not claimed: ${refusal.code}`;
        const abandoned = await this.batchCommand(
          { type: 'AbandonBatchCreation', data: { batchId, reason }, context },
          context,
          ['BATCH_NOT_FORMING'],
        );
        crashPoint('batch-create:abandoned');
        // Another process created the batch meanwhile: it holds its payments; so be it.
        if (!abandoned) return this.current(batchId);
        await this.giveBackClaims(batchId, context);
        throw refusal;
      }
    }
    if (state.status === 'abandoned' || (await this.current(batchId)).state.status === 'abandoned') {
      await this.giveBackClaims(batchId, context);
      throw ruleBroken('BATCH_ABANDONED', 'The batch was abandoned: a payment could not be claimed');
    }
    return this.current(batchId);
  }

  /** Gives back payments a batch no longer lists (after a change) or no longer holds (closed). */
  async giveBack(batchId: string, paymentIds: readonly string[], reason: string, context: LedgerContext) {
    for (const [index, paymentId] of paymentIds.entries()) {
      await returnPaymentsToPool(this.store, batchId, [paymentId], reason, context);
      if (index === 0) crashPoint('batch-holds:gave-back-first');
    }
  }

  onApplicationBootstrap(): void {
    if (this.config.workflowIntervalMs === 0) return;
    this.timer = setInterval(() => void this.settle(), this.config.workflowIntervalMs);
    // The interval alone never keeps a process alive.
    this.timer.unref();
    void this.settle();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
  }

  /**
   * One pass: reads the log up to its head, then settles every obligation older than the grace
   * (`now` and `graceMs` are the tests' to choose). One pass at a time; a call during a pass
   * waits for it. Never throws: a failed obligation is logged and retried by the next pass.
   */
  settle(now = new Date().toISOString(), graceMs = this.config.workflowGraceMs): Promise<SettlePass> {
    this.pass ??= this.settleOnce(now, graceMs)
      .catch((error: Error) => {
        this.logger.warn(`Workflow pass failed (the next one retries): ${error.message}`);
        return { owed: 0, settled: 0, failed: 0 };
      })
      .finally(() => (this.pass = undefined));
    return this.pass;
  }

  /** What is owed now, read up to the log's head (for tests and the checker's reports). */
  async owed(): Promise<BatchObligation[]> {
    await this.catchUp();
    return this.obligations.owed();
  }

  private async settleOnce(now: string, graceMs: number): Promise<SettlePass> {
    const owed = await this.owed();
    const due = owed.filter((obligation) => Date.parse(obligation.since) + graceMs <= Date.parse(now));
    let settled = 0;
    let failed = 0;
    for (const obligation of due.slice(0, MAX_SETTLED_PER_PASS)) {
      if (this.stopped) break;
      try {
        await this.settleOne(obligation, now);
        settled++;
      } catch (error) {
        failed++;
        this.logger.warn(`${describe(obligation)}: ${(error as Error).message}`);
      }
    }
    if (settled > 0) this.logger.log(`Settled ${settled} workflow obligation(s) a crash or a refusal left`);
    return { owed: owed.length, settled, failed };
  }

  private async settleOne(obligation: BatchObligation, now: string): Promise<void> {
    const context: LedgerContext = {
      actor: WORKFLOW_ACTOR,
      now,
      correlationId: randomUUID(),
      causationId: `workflow:${obligation.kind}:${obligation.batchId}`,
    };
    switch (obligation.kind) {
      case 'finish-creation':
        await this.finishCreation(obligation.batchId, context).catch((error: unknown) => {
          // A refused claim ends the creation: abandoned and given back is the settlement.
          if (!(error instanceof DomainError)) throw error;
        });
        return;
      case 'give-back':
        await returnPaymentsToPool(
          this.store,
          obligation.batchId,
          [obligation.paymentId],
          givenBackBecause(obligation.why),
          context,
        );
        return;
      case 'release':
        await handleCommand(
          this.store,
          programmeStreamName(obligation.programmeId),
          programmeDecider,
          {
            type: 'ReleaseBudget',
            data: {
              programmeId: obligation.programmeId,
              releaseId: obligation.releaseId,
              reservationId: obligation.reservationId,
              amount: obligation.amount,
              reason: releasedBecause(obligation.why),
            },
            context,
          },
          { metadata: metadataOf(context) },
        );
        return;
    }
  }

  /** Claims each payment with its beneficiary's account now; the first refusal stops the claims. */
  private async claimAll(
    batchId: string,
    paymentIds: readonly string[],
    context: LedgerContext,
  ): Promise<DomainError | undefined> {
    for (const [index, paymentId] of paymentIds.entries()) {
      try {
        await this.claim(batchId, paymentId, context);
      } catch (error) {
        if (error instanceof DomainError) return error;
        throw error;
      }
      if (index === 0) crashPoint('batch-create:claimed-first');
    }
    return undefined;
  }

  private async claim(batchId: string, paymentId: string, context: LedgerContext): Promise<void> {
    const { state } = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
    if (state.status === 'absent') throw notFound('PAYMENT_NOT_FOUND', `No payment ${paymentId}`);
    // Claimed before a crash: the account it recorded stands.
    if (state.status === 'batched' && state.batchId === batchId) return;
    const beneficiary = await loadStream(this.store, beneficiaryStreamName(state.beneficiaryId), beneficiaryDecider);
    if (!isPayable(beneficiary.state)) {
      throw ruleBroken('BENEFICIARY_NOT_ACTIVE', `The beneficiary of payment ${paymentId} is not active`, 'paymentIds');
    }
    await handleCommand(
      this.store,
      paymentStreamName(paymentId),
      paymentDecider,
      {
        type: 'BatchPayment',
        data: { paymentId, batchId, account: beneficiary.state.bankAccount, beneficiaryRevision: beneficiary.revision },
        context,
      },
      { metadata: metadataOf(context) },
    );
  }

  private async giveBackClaims(batchId: string, context: LedgerContext): Promise<void> {
    const { state } = await this.current(batchId);
    if (state.status !== 'abandoned') return;
    const reason = 'batch abandoned: a payment could not be claimed';
    await this.giveBack(
      batchId,
      state.payments.map((line) => line.paymentId),
      reason,
      context,
    );
  }

  /** Runs a batch command; undefined when it is refused with one of the codes that mean "overtaken". */
  private async batchCommand(
    command: BatchCommand,
    context: LedgerContext,
    overtaken: readonly string[],
  ): Promise<BatchOutcome | undefined> {
    try {
      return await handleCommand(this.store, batchStreamName(command.data.batchId), batchDecider, command, {
        metadata: metadataOf(context),
      });
    } catch (error) {
      if (error instanceof DomainError && overtaken.includes(error.code)) return undefined;
      throw error;
    }
  }

  private async current(batchId: string): Promise<BatchOutcome> {
    const { state, revision } = await loadStream(this.store, batchStreamName(batchId), batchDecider);
    return { events: [], state, revision, position: undefined };
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      let read = 0;
      for await (const event of this.store.readAll({ from: this.position, maxCount: READ_PAGE })) {
        this.obligations.observe(event);
        this.position = event.position;
        read++;
      }
      if (read < READ_PAGE || this.stopped) return;
    }
  }
}

function givenBackBecause(why: Extract<BatchObligation, { kind: 'give-back' }>['why']): string {
  switch (why) {
    case 'batch-closed':
      return 'batch closed';
    case 'batch-abandoned':
      return 'batch abandoned: a payment could not be claimed';
    case 'not-listed':
      return 'removed from the batch';
    case 'batch-missing':
      return 'claimed by a batch that was never recorded';
  }
}

function releasedBecause(why: Extract<BatchObligation, { kind: 'release' }>['why']): string {
  switch (why) {
    case 'batch-closed':
      return 'batch closed';
    case 'not-approved':
      return 'reserved for content no approval holds';
    case 'payment-rejected':
      return 'payment rejected by the bank';
    case 'payment-returned':
      return 'payment returned by the bank';
  }
}

function describe(obligation: BatchObligation): string {
  return obligation.kind === 'give-back'
    ? `giving back payment ${obligation.paymentId} of batch ${obligation.batchId}`
    : obligation.kind === 'release'
      ? `releasing ${obligation.amount} of ${obligation.reservationId}`
      : `finishing the creation of batch ${obligation.batchId}`;
}
