import assert from 'node:assert/strict';
import {
  amountOf,
  conflict,
  Decider,
  forbidden,
  formatAmount,
  invalid,
  notFound,
  parsePositiveAmount,
  ruleBroken,
  sumAmounts,
} from '@salur/kernel';
import { type FinalOutcome, isFinalOutcome, isPeriod, paymentIdFor } from '@salur/payments/domain';
import { requiredApprovals, sameUserId } from '@salur/kernel';
import {
  BATCH_CONTENT_FORMAT,
  type BatchContentLine,
  BatchItem,
  contentHashOf,
  contentHashV2Of,
  contentLinesOf,
} from './batch-content';
import type * as Commands from './batch.commands';
import type { BatchCommand, BatchLine } from './batch.commands';
import { BATCH_EVENTS, type BatchEvent, type BatchPaymentLine } from './batch.events';
import { evolveBatch } from './batch.evolve';
import { BatchState, ExistingBatch, initialBatchState } from './batch.state';

export const batchDecider: Decider<BatchCommand, BatchState, BatchEvent> = {
  initialState: initialBatchState,
  events: BATCH_EVENTS,
  evolve: evolveBatch,
  decide(command, state) {
    switch (command.type) {
      case 'StartBatchCreation':
        return startCreation(command, state);
      case 'CreateBatch':
        return create(command, existing(state));
      case 'AbandonBatchCreation':
        return abandonCreation(command, existing(state));
      case 'ApproveBatch':
        return approve(command, existing(state));
      case 'RemovePaymentsFromBatch':
        return removePayments(command, existing(state));
      case 'RejectBatch':
        return reject(command, existing(state));
      case 'CancelBatch':
        return cancel(command, existing(state));
      case 'ExpireBatch':
        return expire(command, existing(state));
      case 'RecordBatchFile':
        return recordFile(command, existing(state));
      case 'SubmitBatch':
        return submit(command, existing(state));
      case 'SettleBatch':
        return settle(command, existing(state));
    }
  },
};

function existing(state: BatchState): ExistingBatch {
  if (state.status === 'absent') throw notFound('BATCH_NOT_FOUND', 'No such batch');
  return state;
}

/** Checks the lines and sums them; the amounts come back canonical. */
function summariseLines(batch: { batchId: string; programmeId: string; period: string }, items: readonly BatchLine[]) {
  const seen = new Set<string>();
  const canonical = items.map((item) => {
    if (seen.has(item.paymentId)) {
      throw invalid('DUPLICATE_PAYMENT_IN_BATCH', `Payment ${item.paymentId} is listed twice`, 'paymentIds');
    }
    seen.add(item.paymentId);
    if (item.paymentId !== paymentIdFor(batch.programmeId, batch.period, item.beneficiaryId)) {
      throw invalid(
        'PAYMENT_NOT_IN_ROUND',
        `Payment ${item.paymentId} is not of ${batch.programmeId} ${batch.period}`,
        'paymentIds',
      );
    }
    return { ...item, amount: formatAmount(parsePositiveAmount(item.amount, 'amount')) };
  });
  const total = sumAmounts(canonical.map((item) => amountOf(item.amount)));
  return {
    canonical,
    payments: canonical.map((item) => ({ paymentId: item.paymentId, amount: item.amount })),
    count: canonical.length,
    total,
    controlSum: formatAmount(total),
  };
}

/**
 * The lines summed, and the content hash over the items' accounts: salur-batch/v2 when every item
 * names its beneficiary's record revision (every claim since claims named it), else the first hash.
 */
function summarise(batch: { batchId: string; programmeId: string; period: string }, items: readonly BatchItem[]) {
  const lines = summariseLines(batch, items);
  const canonical = items.map((item, index) => ({ ...item, amount: lines.canonical[index].amount }));
  const contentLines = contentLinesOf(canonical);
  if (contentLines === undefined) return { ...lines, contentHash: contentHashOf(batch, canonical), v2: undefined };
  const { contentHash, linesRoot } = contentHashV2Of(batch, contentLines);
  return { ...lines, contentHash, v2: { lines: contentLines, linesRoot } };
}

/** A v2 batch's lines as its state holds them (BatchCreated stored them whole). */
function contentLinesIn(lines: readonly BatchPaymentLine[]): BatchContentLine[] {
  return lines.map((line) => {
    assert('bankCode' in line && 'beneficiaryRevision' in line, 'A salur-batch/v2 batch holds v2 lines');
    return line as BatchContentLine;
  });
}

/** The same payments for the same amounts, whatever their order. */
function sameLines(left: readonly BatchPaymentLine[], right: readonly BatchPaymentLine[]): boolean {
  const key = (lines: readonly BatchPaymentLine[]) =>
    lines
      .map((line) => `${line.paymentId}:${line.amount}`)
      .sort()
      .join();
  return key(left) === key(right);
}

function startCreation({ data, context }: Commands.StartBatchCreation, state: BatchState): BatchEvent[] {
  if (!isPeriod(data.period))
    throw invalid('INVALID_PERIOD', `Period '${data.period}' is not YYYY-MM or YYYY-Qn`, 'period');
  if (data.items.length === 0) throw invalid('EMPTY_BATCH', 'A batch needs at least one payment', 'paymentIds');
  if (data.items.length > data.maxPayments) {
    throw invalid('BATCH_TOO_LARGE', `A batch holds at most ${data.maxPayments} payments`, 'paymentIds');
  }
  const summary = summariseLines(data, data.items);
  if (state.status !== 'absent') {
    if (sameLines(state.payments, summary.payments) && sameUserId(state.makerId, context.actor.userId)) return [];
    throw conflict('BATCH_EXISTS', `Batch ${data.batchId} already exists`);
  }
  if (data.expiresAt <= context.now)
    throw invalid('INVALID_EXPIRY', 'A batch must expire after it is created', 'expiresAt');
  return [
    {
      type: 'BatchCreationStarted',
      data: {
        batchId: data.batchId,
        programmeId: data.programmeId,
        period: data.period,
        makerId: context.actor.userId,
        payments: summary.payments,
        count: summary.count,
        controlSum: summary.controlSum,
        requiredApprovals: requiredApprovals(data.policy, summary.total),
        expiresAt: data.expiresAt,
        at: context.now,
        contentFormat: BATCH_CONTENT_FORMAT,
      },
    },
  ];
}

/** The batch as started, now that every payment is claimed; again after it was created: nothing. */
function create({ data, context }: Commands.CreateBatch, state: ExistingBatch): BatchEvent[] {
  if (state.status === 'abandoned')
    throw ruleBroken('BATCH_ABANDONED', 'The batch was abandoned: a payment could not be claimed');
  if (state.status !== 'forming') return [];
  const summary = summarise(state, data.items);
  // The handler reads the items back from the claims: anything else is a bug, not a request.
  assert(sameLines(state.payments, summary.payments), 'The claimed items do not match the started batch');
  return [
    {
      type: 'BatchCreated',
      data: {
        batchId: state.batchId,
        programmeId: state.programmeId,
        period: state.period,
        makerId: state.makerId,
        payments: summary.v2?.lines ?? summary.payments,
        count: summary.count,
        controlSum: summary.controlSum,
        contentHash: summary.contentHash,
        requiredApprovals: state.requiredApprovals,
        expiresAt: state.expiresAt,
        at: context.now,
        ...(summary.v2 ? { contentFormat: BATCH_CONTENT_FORMAT } : {}),
      },
    },
  ];
}

function abandonCreation({ data, context }: Commands.AbandonBatchCreation, state: ExistingBatch): BatchEvent[] {
  if (state.status === 'abandoned') return [];
  if (state.status !== 'forming') throw ruleBroken('BATCH_NOT_FORMING', `The batch is already ${state.status}`);
  return [
    {
      type: 'BatchCreationAbandoned',
      data: { batchId: state.batchId, reason: requireReason(data.reason), at: context.now },
    },
  ];
}

function approve({ data, context }: Commands.ApproveBatch, state: ExistingBatch): BatchEvent[] {
  const approverId = context.actor.userId;
  if (state.status !== 'pending')
    throw ruleBroken('BATCH_NOT_PENDING', `The batch is ${state.status}, not waiting for approval`);
  if (context.now >= state.expiresAt) throw ruleBroken('BATCH_EXPIRED', `The batch expired at ${state.expiresAt}`);
  // Ids are canonical from the edge on; sameUserId also folds ids recorded before they were.
  if (sameUserId(approverId, state.makerId))
    throw forbidden('MAKER_CANNOT_APPROVE', 'The maker of a batch can never approve it');
  if (data.contentHash !== state.contentHash) {
    throw conflict(
      'BATCH_CHANGED',
      'The batch changed since you reviewed it: review the current content and approve again',
    );
  }
  if (state.approverIds.some((earlier) => sameUserId(earlier, approverId)))
    throw conflict('ALREADY_APPROVED', 'You have already approved this batch');
  const approverIds = [...state.approverIds, approverId];
  const recorded: BatchEvent = {
    type: 'BatchApprovalRecorded',
    data: {
      batchId: state.batchId,
      approverId,
      contentHash: state.contentHash,
      approvals: approverIds.length,
      requiredApprovals: state.requiredApprovals,
      at: context.now,
    },
  };
  if (approverIds.length < state.requiredApprovals) return [recorded];
  return [
    recorded,
    {
      type: 'BatchApproved',
      data: {
        batchId: state.batchId,
        programmeId: state.programmeId,
        contentHash: state.contentHash,
        approverIds,
        count: state.payments.length,
        controlSum: state.controlSum,
        at: context.now,
      },
    },
  ];
}

function removePayments({ data, context }: Commands.RemovePaymentsFromBatch, state: ExistingBatch): BatchEvent[] {
  if (state.status !== 'pending') {
    throw ruleBroken('BATCH_NOT_PENDING', `A ${state.status} batch cannot change; cancel it and make a new one`);
  }
  const removed = new Set(data.paymentIds);
  const inBatch = new Set(state.payments.map((line) => line.paymentId));
  for (const paymentId of removed) {
    if (!inBatch.has(paymentId))
      throw invalid('PAYMENT_NOT_IN_BATCH', `Payment ${paymentId} is not in this batch`, 'paymentIds');
  }
  const remaining = state.payments.filter((line) => !removed.has(line.paymentId));
  if (remaining.length === 0)
    throw ruleBroken('EMPTY_BATCH', 'Removing every payment empties the batch: cancel it instead');
  const summary = summarise(state, data.remainingItems);
  const expected = remaining.map((line) => `${line.paymentId}:${line.amount}`).sort();
  const given = summary.payments.map((line) => `${line.paymentId}:${line.amount}`).sort();
  if (expected.join() !== given.join()) throw new Error('The remaining items do not match the batch');
  // A v2 batch's new content is its signed lines minus the removed: the lines name the accounts already.
  const v2 =
    state.contentFormat === BATCH_CONTENT_FORMAT ? contentHashV2Of(state, contentLinesIn(remaining)) : undefined;
  return [
    {
      type: 'BatchChanged',
      data: {
        batchId: state.batchId,
        removedPaymentIds: [...removed],
        reason: requireReason(data.reason),
        count: summary.count,
        controlSum: summary.controlSum,
        contentHash: v2?.contentHash ?? summary.contentHash,
        requiredApprovals: requiredApprovals(data.policy, summary.total),
        changedBy: context.actor.userId,
        at: context.now,
        ...(v2 ? { contentFormat: BATCH_CONTENT_FORMAT, linesRoot: v2.linesRoot } : {}),
      },
    },
  ];
}

function reject({ data, context }: Commands.RejectBatch, state: ExistingBatch): BatchEvent[] {
  if (state.status === 'rejected') return [];
  assertOpen(state);
  if (sameUserId(context.actor.userId, state.makerId)) {
    throw forbidden('MAKER_CANNOT_REJECT', 'The maker withdraws a batch by cancelling it, not by rejecting it');
  }
  return [
    {
      type: 'BatchRejected',
      data: {
        batchId: state.batchId,
        reason: requireReason(data.reason),
        rejectedBy: context.actor.userId,
        wasApproved: state.status === 'approved',
        at: context.now,
      },
    },
  ];
}

function cancel({ data, context }: Commands.CancelBatch, state: ExistingBatch): BatchEvent[] {
  if (state.status === 'cancelled') return [];
  assertOpen(state);
  if (!sameUserId(context.actor.userId, state.makerId) && context.actor.role !== 'admin') {
    throw forbidden('NOT_BATCH_MAKER', 'Only the maker of a batch (or an admin) can cancel it');
  }
  return [
    {
      type: 'BatchCancelled',
      data: {
        batchId: state.batchId,
        reason: requireReason(data.reason),
        cancelledBy: context.actor.userId,
        wasApproved: state.status === 'approved',
        at: context.now,
      },
    },
  ];
}

function expire({ context }: Commands.ExpireBatch, state: ExistingBatch): BatchEvent[] {
  if (state.status === 'expired') return [];
  if (state.status !== 'pending') throw ruleBroken('BATCH_NOT_PENDING', `A ${state.status} batch does not expire`);
  if (context.now < state.expiresAt) throw ruleBroken('BATCH_NOT_EXPIRED', `The batch expires at ${state.expiresAt}`);
  return [{ type: 'BatchExpired', data: { batchId: state.batchId, at: context.now } }];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/**
 * Records a bank file of an approved batch. The file must list exactly the batch: its count and
 * control sum are checked here. Files are deterministic (same batch, same bytes), so the same
 * SHA-256 again is a retry and changes nothing; another one for the same format is refused.
 */
function recordFile({ data, context }: Commands.RecordBatchFile, state: ExistingBatch): BatchEvent[] {
  const recorded = state.files.find((file) => file.format === data.format);
  if (recorded?.sha256 === data.sha256) return [];
  if (state.status !== 'approved') {
    throw ruleBroken('BATCH_NOT_APPROVED', `Only an approved batch gets a bank file; this one is ${state.status}`);
  }
  if (recorded) {
    throw conflict(
      'BATCH_FILE_EXISTS',
      `A ${data.format} file with another SHA-256 was already recorded for this batch: ${recorded.fileName}`,
    );
  }
  if (!SHA256_HEX.test(data.sha256))
    throw invalid('INVALID_SHA256', 'sha256 must be 64 lower-case hex digits', 'sha256');
  if (!FILE_NAME.test(data.fileName))
    throw invalid('INVALID_FILE_NAME', 'fileName is not a plain file name', 'fileName');
  if (data.count !== state.payments.length || data.controlSum !== state.controlSum) {
    throw ruleBroken(
      'BATCH_FILE_MISMATCH',
      `The file lists ${data.count} payments for ${data.controlSum}; the batch has ${state.payments.length} for ${state.controlSum}`,
    );
  }
  return [
    {
      type: 'BatchFileGenerated',
      data: {
        batchId: state.batchId,
        fileName: data.fileName,
        format: data.format,
        sha256: data.sha256,
        count: data.count,
        controlSum: data.controlSum,
        chargeBearer: 'DEBT',
        generatedBy: context.actor.userId,
        generatedAt: context.now,
      },
    },
  ];
}

/** Hands the pain.001 to the bank once: a submitted batch is never submitted (sent) again. */
function submit({ context }: Commands.SubmitBatch, state: ExistingBatch): BatchEvent[] {
  if (state.status === 'submitted' || state.status === 'settled') return [];
  if (state.status !== 'approved') {
    throw ruleBroken('BATCH_NOT_APPROVED', `Only an approved batch is submitted; this one is ${state.status}`);
  }
  const file = state.files.find((candidate) => candidate.format === 'pain001');
  if (!file) throw ruleBroken('BATCH_FILE_MISSING', 'Write the batch’s pain.001 file before submitting it');
  return [
    {
      type: 'BatchSubmitted',
      data: {
        batchId: state.batchId,
        fileName: file.fileName,
        sha256: file.sha256,
        submittedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/** Which count of BatchSettled each final outcome adds to. */
const SETTLED_COUNT = {
  credited: 'credited',
  rejected: 'rejected',
  returned: 'returned',
  reversed: 'reversed',
  'decided-credited': 'decidedCredited',
  'decided-not-credited': 'decidedNotCredited',
} as const satisfies Record<FinalOutcome, string>;

/** Settles a submitted batch once every one of its lines has a final outcome; again: nothing. */
function settle({ data, context }: Commands.SettleBatch, state: ExistingBatch): BatchEvent[] {
  if (state.status === 'settled') return [];
  if (state.status !== 'submitted') {
    throw ruleBroken('BATCH_NOT_SUBMITTED', `Only a submitted batch is settled; this one is ${state.status}`);
  }
  const outcomes = new Map(data.outcomes.map((line) => [line.paymentId, line.outcome]));
  const counts = { credited: 0, rejected: 0, returned: 0, reversed: 0, decidedCredited: 0, decidedNotCredited: 0 };
  let open = 0;
  for (const { paymentId } of state.payments) {
    const outcome = outcomes.get(paymentId);
    if (isFinalOutcome(outcome)) counts[SETTLED_COUNT[outcome]]++;
    else open++;
  }
  if (open > 0) {
    throw ruleBroken(
      'BATCH_NOT_FINAL',
      `${open} of the batch's ${state.payments.length} payments have no final outcome yet`,
    );
  }
  return [
    {
      type: 'BatchSettled',
      data: { batchId: state.batchId, count: state.payments.length, ...counts, at: context.now },
    },
  ];
}

function assertOpen(state: ExistingBatch): void {
  if (state.status !== 'pending' && state.status !== 'approved') {
    throw ruleBroken('BATCH_CLOSED', `The batch is already ${state.status}`);
  }
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 5 || trimmed.length > 500)
    throw invalid('INVALID_REASON', 'A reason of 5 to 500 characters is required', 'reason');
  return trimmed;
}
