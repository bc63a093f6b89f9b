import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  CommandOutcome,
  handleCommand,
  LEDGER_CONFIG,
  LedgerConfig,
  LedgerContext,
  loadStream,
  metadataOf,
  receiptOf,
} from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { DomainError, notFound } from '@salur/kernel';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { randomUUID } from 'node:crypto';
import { BatchCommand, batchDecider, BatchEvent, BatchState, batchStreamName, ExistingBatch } from '../domain';
import { releaseBatchBudget, reservationIdFor, returnPaymentsToPool } from './batch-holds';
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
 * A maker batches payments: each payment is claimed for the batch in its own stream (a payment
 * sits in one open batch only: the claim of a second batch is refused there), then the batch is
 * recorded. If a claim is refused, the claims already made are given back before answering.
 */
@CommandHandler(CreateBatchCommand)
export class CreateBatchHandler implements ICommandHandler<CreateBatchCommand> {
  private readonly logger = new Logger('Batches');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ input, context }: CreateBatchCommand): Promise<BatchReceipt> {
    assertPaymentList(input.paymentIds, this.config.batchMaxPayments);
    const batchId = randomUUID();
    const items = await itemsForNewBatch(this.store, input);
    const claimed: string[] = [];
    try {
      for (const item of items) {
        await handleCommand(
          this.store,
          paymentStreamName(item.paymentId),
          paymentDecider,
          { type: 'BatchPayment', data: { paymentId: item.paymentId, batchId, account: item.account }, context },
          { metadata: metadataOf(context) },
        );
        claimed.push(item.paymentId);
      }
      const expiresAt = new Date(Date.parse(context.now) + this.config.batchApprovalTtlMs).toISOString();
      const command: BatchCommand = {
        type: 'CreateBatch',
        data: {
          batchId,
          ...input,
          items,
          policy: this.config.approvalPolicy,
          maxPayments: this.config.batchMaxPayments,
          expiresAt,
        },
        context,
      };
      const outcome = await handleCommand(this.store, batchStreamName(batchId), batchDecider, command, {
        metadata: metadataOf(context),
      });
      return receiptOfBatch(batchId, outcome);
    } catch (error) {
      await this.giveBack(batchId, claimed, error, context);
      throw error;
    }
  }

  private async giveBack(batchId: string, claimed: string[], cause: unknown, context: LedgerContext): Promise<void> {
    const reason = `batch not created: ${cause instanceof DomainError ? cause.code : 'error'}`;
    try {
      await returnPaymentsToPool(this.store, batchId, claimed, reason, context);
    } catch (error) {
      // The payments stay claimed by a batch that does not exist; the invariant checker finds them.
      this.logger.error(
        `Could not give back ${claimed.length} payments of batch ${batchId}: ${(error as Error).message}`,
      );
    }
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

@CommandHandler(RemovePaymentsFromBatchCommand)
export class RemovePaymentsFromBatchHandler implements ICommandHandler<RemovePaymentsFromBatchCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
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
          data: { batchId, paymentIds, remainingItems, policy: this.config.approvalPolicy, reason },
          context,
        };
      },
      { metadata: metadataOf(context) },
    );
    await returnPaymentsToPool(this.store, batchId, paymentIds, `removed from the batch: ${reason}`, context);
    return receiptOfBatch(batchId, changed);
  }
}

@CommandHandler(CloseBatchCommand)
export class CloseBatchHandler implements ICommandHandler<CloseBatchCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

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
    await returnPaymentsToPool(
      this.store,
      batchId,
      batch.payments.map((line) => line.paymentId),
      reason,
      context,
    );
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

export const BATCH_HANDLERS = [
  CreateBatchHandler,
  ApproveBatchHandler,
  RemovePaymentsFromBatchHandler,
  CloseBatchHandler,
  GetBatchHandler,
];
