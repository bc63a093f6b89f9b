import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  CommandOutcome,
  crashPoint,
  handleCommand,
  LEDGER_CONFIG,
  LedgerConfig,
  LedgerContext,
  loadStream,
  metadataOf,
  receiptOf,
} from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { type ApprovalPolicy, notFound } from '@salur/kernel';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { randomUUID } from 'node:crypto';
import {
  BatchCommand,
  batchDecider,
  BatchEvent,
  BatchState,
  batchStreamName,
  ExistingBatch,
  reservationIdFor,
} from '../domain';
import { approvalPolicyInForce } from './approval-policy-in-force';
import { releaseBatchBudget } from './batch-holds';
import { BatchWorkflows } from './batch-workflows';
import { assertPaymentList, itemsForNewBatch, itemsInBatch } from './batch-lines';
import {
  ApproveBatchCommand,
  BatchReceipt,
  BatchView,
  CloseBatchCommand,
  CreateBatchCommand,
  GetBatchQuery,
  RemovePaymentsFromBatchCommand,
} from './batch.messages';

function receiptOfBatch(batchId: string, outcome: CommandOutcome<BatchState, BatchEvent>): BatchReceipt {
  const state = existing(outcome.state, batchId);
  return {
    ...receiptOf(batchId, outcome),
    status: state.status,
    count: state.payments.length,
    controlSum: state.controlSum,
    contentHash: state.contentHash,
    requiredApprovals: state.requiredApprovals,
    approverIds: state.approverIds,
  };
}

function existing(state: BatchState, batchId: string): ExistingBatch {
  if (state.status === 'absent') throw notFound('BATCH_NOT_FOUND', `No batch ${batchId}`);
  return state;
}

/**
 * A maker batches payments: a workflow (BatchWorkflows) starts the batch, claims each payment
 * in its own stream (a payment sits in one open batch only), then records the batch; a refused
 * claim abandons it and gives the claims back. A crash at any step is finished or compensated
 * by the next pass of any process.
 */
@CommandHandler(CreateBatchCommand)
export class CreateBatchHandler implements ICommandHandler<CreateBatchCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly workflows: BatchWorkflows,
  ) {}

  async execute({ input, context }: CreateBatchCommand): Promise<BatchReceipt> {
    assertPaymentList(input.paymentIds, this.config.batchMaxPayments);
    // Refused here, before anything is written, when a payment cannot join (a refusal writes nothing).
    const items = await itemsForNewBatch(this.store, input);
    const batchId = randomUUID();
    const round = { programmeId: input.programmeId, period: input.period };
    return receiptOfBatch(batchId, await this.workflows.create(batchId, round, items, context));
  }
}

/**
 * An approval. The one that completes the batch's approvals first reserves the batch total in
 * the programme's budget, through the programme stream's expected revision, so concurrent
 * approvals can never reserve past the ceiling; a batch the budget cannot carry is not approved.
 */
@CommandHandler(ApproveBatchCommand)
export class ApproveBatchHandler implements ICommandHandler<ApproveBatchCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ batchId, contentHash, context }: ApproveBatchCommand): Promise<BatchReceipt> {
    const outcome = await handleCommand(
      this.store,
      batchStreamName(batchId),
      batchDecider,
      { type: 'ApproveBatch', data: { batchId, contentHash }, context },
      {
        metadata: metadataOf(context),
        beforeAppend: async (events, state) => {
          if (!events.some((event) => event.type === 'BatchApproved')) return;
          await this.reserveBudget(existing(state, batchId), context);
          // Reserved, approval not yet recorded: a reservation no approval holds is released by a later pass.
          crashPoint('batch-approve:reserved');
        },
      },
    );
    const state = existing(outcome.state, batchId);
    if (state.status === 'approved') {
      // A reservation made for earlier content of this batch by an approval that did not land.
      await releaseBatchBudget(
        this.store,
        state.programmeId,
        batchId,
        'superseded by the approved content',
        context,
        reservationIdFor(batchId, state.contentHash),
      );
    }
    return receiptOfBatch(batchId, outcome);
  }

  private async reserveBudget(batch: ExistingBatch, context: LedgerContext): Promise<void> {
    await handleCommand(
      this.store,
      programmeStreamName(batch.programmeId),
      programmeDecider,
      {
        type: 'ReserveBudget',
        data: {
          programmeId: batch.programmeId,
          reservationId: reservationIdFor(batch.batchId, batch.contentHash),
          amount: batch.controlSum,
          batchId: batch.batchId,
        },
        context,
      },
      { metadata: metadataOf(context) },
    );
  }
}

/** The batch changes first; the payments it no longer lists go back to the pool next (or by a later pass). */
@CommandHandler(RemovePaymentsFromBatchCommand)
export class RemovePaymentsFromBatchHandler implements ICommandHandler<RemovePaymentsFromBatchCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly workflows: BatchWorkflows,
  ) {}

  async execute({ batchId, paymentIds, reason, context }: RemovePaymentsFromBatchCommand): Promise<BatchReceipt> {
    const changed = await handleCommand(
      this.store,
      batchStreamName(batchId),
      batchDecider,
      async (state: BatchState): Promise<BatchCommand> => {
        // The new content hash covers the accounts of the payments that stay: read them now.
        const removed = new Set(paymentIds);
        const remaining = existing(state, batchId)
          .payments.map((line) => line.paymentId)
          .filter((paymentId) => !removed.has(paymentId));
        const remainingItems = state.status === 'pending' ? await itemsInBatch(this.store, batchId, remaining) : [];
        return {
          type: 'RemovePaymentsFromBatch',
          data: { batchId, paymentIds, remainingItems, policy: await this.policyOf(state, batchId), reason },
          context,
        };
      },
      { metadata: metadataOf(context) },
    );
    crashPoint('batch-change:changed');
    await this.workflows.giveBack(batchId, paymentIds, `removed from the batch: ${reason}`, context);
    return receiptOfBatch(batchId, changed);
  }

  /** The policy in force for the batch's programme: a change recounts the approvals it needs. */
  private policyOf(state: BatchState, batchId: string): Promise<ApprovalPolicy> {
    const programmeId = existing(state, batchId).programmeId;
    return approvalPolicyInForce(this.store, programmeId, this.config.approvalPolicy);
  }
}

/** The batch closes first; its payments go back and its budget is released next (or by a later pass). */
@CommandHandler(CloseBatchCommand)
export class CloseBatchHandler implements ICommandHandler<CloseBatchCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly workflows: BatchWorkflows,
  ) {}

  async execute({ batchId, closing, context }: CloseBatchCommand): Promise<BatchReceipt> {
    const data = closing.type === 'ExpireBatch' ? { batchId } : { batchId, reason: closing.reason };
    const outcome = await handleCommand(
      this.store,
      batchStreamName(batchId),
      batchDecider,
      { type: closing.type, data, context } as BatchCommand,
      { metadata: metadataOf(context) },
    );
    // Also when the batch was already closed: a closing that crashed half-way finishes here.
    const batch = existing(outcome.state, batchId);
    const reason = `batch ${batch.status}`;
    crashPoint('batch-close:closed');
    const paymentIds = batch.payments.map((line) => line.paymentId);
    await this.workflows.giveBack(batchId, paymentIds, reason, context);
    crashPoint('batch-close:gave-back');
    await releaseBatchBudget(this.store, batch.programmeId, batchId, reason, context);
    return receiptOfBatch(batchId, outcome);
  }
}

@QueryHandler(GetBatchQuery)
export class GetBatchHandler implements IQueryHandler<GetBatchQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ batchId }: GetBatchQuery): Promise<BatchView> {
    const outcome = await loadStream(this.store, batchStreamName(batchId), batchDecider);
    const batch = existing(outcome.state, batchId);
    return {
      ...receiptOfBatch(batchId, { ...outcome, events: [], position: undefined }),
      batchId,
      programmeId: batch.programmeId,
      period: batch.period,
      makerId: batch.makerId,
      expiresAt: batch.expiresAt,
      payments: batch.payments,
    };
  }
}

/** The handlers the HTTP module registers; CloseBatchHandler lives with the jobs' services (BatchJobsModule): the scheduled pass expires batches through it. */
export const BATCH_HANDLERS = [
  CreateBatchHandler,
  ApproveBatchHandler,
  RemovePaymentsFromBatchHandler,
  GetBatchHandler,
];
