import {
  amountOf,
  conflict,
  Decider,
  forbidden,
  formatAmount,
  invalid,
  notFound,
  parseAmount,
  parsePositiveAmount,
  ruleBroken,
  sameUserId,
} from '@salur/kernel';
import { sameAccount } from './bank-account';
import { checkedBankCreditEvidence } from './bank-credit-evidence';
import type * as Commands from './payment.commands';
import type { PaymentCommand } from './payment.commands';
import { PAYMENT_EVENTS, type PaymentEvent } from './payment.events';
import { evolvePayment } from './payment.evolve';
import { isPeriod, paymentIdFor } from './payment-id';
import { ExistingPayment, initialPaymentState, PaymentState } from './payment.state';
import { reissueNeedsAccountFix } from './reason-codes';

const REASON_CODE = /^[A-Z0-9]{4}$/;
const BANK_REFERENCE = /^[\x21-\x7e]{1,35}$/;
const VALUE_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const HOUR_MS = 3_600_000;
/** BANK_OUTCOME_TIMEOUT_HOURS' bounds: a decider refuses a timeout outside them as a bug of the caller. */
const MAX_OUTCOME_TIMEOUT_HOURS = 24 * 90;

export const paymentDecider: Decider<PaymentCommand, PaymentState, PaymentEvent> = {
  initialState: initialPaymentState,
  events: PAYMENT_EVENTS,
  evolve: evolvePayment,
  decide(command, state) {
    switch (command.type) {
      case 'SchedulePayment':
        return schedule(command, state);
      case 'BatchPayment':
        return batch(command, existing(state));
      case 'UnbatchPayment':
        return unbatch(command, existing(state));
      case 'MarkPaymentSent':
        return markSent(command, existing(state));
      case 'RecordCredit':
        return recordCredit(command, existing(state));
      case 'RecordRejection':
        return recordRejection(command, existing(state));
      case 'RecordReturn':
        return recordReturn(command, existing(state));
      case 'MarkOutcomeUnknown':
        return markOutcomeUnknown(command, existing(state));
      case 'RequestOutcomeDecision':
        return requestOutcomeDecision(command, existing(state));
      case 'ConfirmOutcomeDecision':
        return confirmOutcomeDecision(command, existing(state));
      case 'ReissuePayment':
        return reissue(command, existing(state));
      case 'RequestReversal':
        return requestReversal(command, existing(state));
      case 'ApproveReversal':
        return approveReversal(command, existing(state));
    }
  },
};

function existing(state: PaymentState): ExistingPayment {
  if (state.status === 'absent') throw notFound('PAYMENT_NOT_FOUND', 'No such payment');
  return state;
}

function schedule({ data, context }: Commands.SchedulePayment, state: PaymentState): PaymentEvent[] {
  if (!isPeriod(data.period))
    throw invalid('INVALID_PERIOD', `Period '${data.period}' is not YYYY-MM, YYYY-Qn or YYYY-NAME`, 'period');
  if (data.paymentId !== paymentIdFor(data.programmeId, data.period, data.beneficiaryId)) {
    throw invalid(
      'PAYMENT_ID_MISMATCH',
      'A payment id must be derived from its programme, period and beneficiary',
      'paymentId',
    );
  }
  const amount = formatAmount(parsePositiveAmount(data.amount, 'amount'));
  if (state.status !== 'absent') {
    // The id already exists, so this beneficiary has a payment for this period: a retry of the
    // same schedule is harmless, anything else would be a second payment.
    if (state.amount === amount) return [];
    throw conflict('PAYMENT_EXISTS', `A payment for ${data.period} already exists with amount ${state.amount}`);
  }
  return [
    {
      type: 'PaymentScheduled',
      data: { ...data, amount, scheduledBy: context.actor.userId, at: context.now },
    },
  ];
}

function batch({ data, context }: Commands.BatchPayment, state: ExistingPayment): PaymentEvent[] {
  if (state.status === 'batched' && state.batchId === data.batchId) return [];
  if (state.status === 'batched' || state.status === 'sent') {
    throw conflict('PAYMENT_ALREADY_BATCHED', `Payment is already in batch ${state.batchId}`, 'paymentIds');
  }
  if (state.status !== 'scheduled' && state.status !== 'reissued') {
    throw ruleBroken('PAYMENT_NOT_BATCHABLE', `A ${state.status} payment cannot be batched`, 'paymentIds');
  }
  return [
    {
      type: 'PaymentBatched',
      data: {
        paymentId: state.paymentId,
        batchId: data.batchId,
        account: data.account,
        ...revisionOf(data),
        attempt: state.attempt,
        at: context.now,
      },
    },
  ];
}

function unbatch({ data, context }: Commands.UnbatchPayment, state: ExistingPayment): PaymentEvent[] {
  // Already out of that batch (a retried cancellation): nothing to do.
  if (!(state.status === 'batched' && state.batchId === data.batchId)) {
    if ((state.status === 'sent' || state.status === 'outcome-unknown') && state.batchId === data.batchId) {
      throw ruleBroken('PAYMENT_ALREADY_SENT', 'A payment sent to the bank cannot leave its batch');
    }
    return [];
  }
  return [
    {
      type: 'PaymentUnbatched',
      data: { paymentId: state.paymentId, batchId: data.batchId, reason: data.reason, at: context.now },
    },
  ];
}

function markSent({ data, context }: Commands.MarkPaymentSent, state: ExistingPayment): PaymentEvent[] {
  if (state.status === 'sent' && state.batchId === data.batchId) return [];
  if (state.status !== 'batched' || state.batchId !== data.batchId) {
    throw ruleBroken('PAYMENT_NOT_IN_BATCH', `Payment is ${state.status}, not waiting in batch ${data.batchId}`);
  }
  return [{ type: 'PaymentSentToBank', data: { paymentId: state.paymentId, batchId: data.batchId, at: context.now } }];
}

function recordCredit({ data, context }: Commands.RecordCredit, state: ExistingPayment): PaymentEvent[] {
  if (state.status === 'credited' && state.batchId === data.batchId) {
    if (state.bankReference === data.bankReference) return [];
    const earlier = state.decidedBy
      ? `by the decision of ${state.decidedBy} and another officer`
      : `under reference ${state.bankReference}`;
    throw conflict('DUPLICATE_CREDIT', `Payment was already credited ${earlier}`);
  }
  assertSentIn(state, data.batchId);
  assertBankReference(data.bankReference);
  if (!VALUE_DATE.test(data.valueDate))
    throw invalid('INVALID_VALUE_DATE', 'valueDate must be YYYY-MM-DD', 'valueDate');
  const approved = amountOf(state.amount);
  const credited = parseAmount(data.creditedAmount, 'creditedAmount');
  if (credited.greaterThan(approved)) {
    throw ruleBroken(
      'CREDIT_EXCEEDS_APPROVED',
      `Credited ${formatAmount(credited)} is more than the approved ${state.amount}`,
    );
  }
  const bankEvidence = data.bankEvidence && checkedBankCreditEvidence(data.bankEvidence, credited);
  const deducted = formatAmount(approved.minus(credited));
  const amounts = { approvedAmount: state.amount, creditedAmount: formatAmount(credited), deductedAmount: deducted };
  const credit: PaymentEvent = {
    type: 'PaymentCredited',
    data: {
      paymentId: state.paymentId,
      batchId: data.batchId,
      ...amounts,
      bankReference: data.bankReference,
      valueDate: data.valueDate,
      ...(bankEvidence === undefined ? {} : { bankEvidence }),
      at: context.now,
    },
  };
  if (credited.equals(approved)) return [credit];
  // Never silently accepted: the shortfall is recorded and raised for an auditor.
  return [
    credit,
    {
      type: 'PaymentDeductionFlagged',
      data: { paymentId: state.paymentId, batchId: data.batchId, ...amounts, at: context.now },
    },
  ];
}

function recordRejection({ data, context }: Commands.RecordRejection, state: ExistingPayment): PaymentEvent[] {
  if (state.status === 'rejected' && state.batchId === data.batchId) return [];
  assertSentIn(state, data.batchId);
  assertReasonCode(data.reasonCode);
  if (data.bankReference !== undefined) assertBankReference(data.bankReference);
  return [
    {
      type: 'PaymentRejected',
      data: {
        paymentId: state.paymentId,
        batchId: data.batchId,
        reasonCode: data.reasonCode,
        bankReference: data.bankReference,
        at: context.now,
      },
    },
  ];
}

function recordReturn({ data, context }: Commands.RecordReturn, state: ExistingPayment): PaymentEvent[] {
  if (state.status === 'returned' && state.batchId === data.batchId && state.bankReference === data.bankReference)
    return [];
  if (state.status !== 'credited' || state.batchId !== data.batchId) {
    throw ruleBroken('PAYMENT_NOT_CREDITED', `Only a credited payment can be returned; this one is ${state.status}`);
  }
  assertReasonCode(data.reasonCode);
  assertBankReference(data.bankReference);
  const returned = formatAmount(parsePositiveAmount(data.returnedAmount, 'returnedAmount'));
  if (returned !== state.creditedAmount) {
    throw ruleBroken(
      'RETURN_AMOUNT_MISMATCH',
      `Returned ${returned} differs from the credited ${state.creditedAmount}`,
    );
  }
  return [
    {
      type: 'PaymentReturned',
      data: {
        paymentId: state.paymentId,
        batchId: data.batchId,
        reasonCode: data.reasonCode,
        returnedAmount: returned,
        bankReference: data.bankReference,
        at: context.now,
      },
    },
  ];
}

/**
 * Back to the pool for another attempt. A beneficiary-side (or unreadable) refusal needs the
 * account fixed first; a debtor-side one (AM04: the treasury was short) and an outcome two
 * officers decided was not credited go as they are (reissueNeedsAccountFix). A payment whose
 * outcome is unknown is never reissued: the first transfer may still arrive.
 */
function reissue({ data, context }: Commands.ReissuePayment, state: ExistingPayment): PaymentEvent[] {
  // A retried reissue: the payment is already back in the pool.
  if (state.status === 'reissued') return [];
  if (state.status === 'outcome-unknown') {
    throw ruleBroken(
      'OUTCOME_UNKNOWN',
      'Nobody knows yet whether the bank credited this payment: a status report or two officers must settle it first',
    );
  }
  if (state.status !== 'rejected' && state.status !== 'returned' && state.status !== 'not-credited') {
    throw ruleBroken(
      'PAYMENT_NOT_REISSUABLE',
      `Only a rejected, returned or not-credited payment can be reissued; this one is ${state.status}`,
    );
  }
  const previousAccount = state.account;
  if (!previousAccount) throw new Error(`Payment ${state.paymentId} was sent without an account`);
  if (reissueNeedsAccountFix(state) && sameAccount(previousAccount, data.account)) {
    throw ruleBroken(
      'ACCOUNT_NOT_FIXED',
      `The bank refused the beneficiary's account (${'reasonCode' in state ? state.reasonCode : 'no code'}) and it has not changed; fix it before reissuing`,
    );
  }
  return [
    {
      type: 'PaymentReissued',
      data: {
        paymentId: state.paymentId,
        previousAccount,
        account: data.account,
        ...revisionOf(data),
        attempt: state.attempt + 1,
        reissuedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/**
 * The scheduled pass, for a payment sent `timeoutHours` ago and still unanswered. A payment that
 * got its answer (or moved on) since the pass looked is left alone: nothing to do.
 */
function markOutcomeUnknown({ data, context }: Commands.MarkOutcomeUnknown, state: ExistingPayment): PaymentEvent[] {
  if (state.status !== 'sent' || state.batchId !== data.batchId) return [];
  if (!Number.isInteger(data.timeoutHours) || data.timeoutHours < 1 || data.timeoutHours > MAX_OUTCOME_TIMEOUT_HOURS)
    throw new Error(`timeoutHours must be an integer from 1 to ${MAX_OUTCOME_TIMEOUT_HOURS}, not ${data.timeoutHours}`);
  const dueAt = Date.parse(state.sentAt) + data.timeoutHours * HOUR_MS;
  if (Date.parse(context.now) < dueAt) {
    throw ruleBroken(
      'OUTCOME_NOT_OVERDUE',
      `The payment was sent at ${state.sentAt}: its answer is awaited until ${new Date(dueAt).toISOString()}`,
    );
  }
  return [
    {
      type: 'PaymentOutcomeUnknown',
      data: {
        paymentId: state.paymentId,
        batchId: state.batchId,
        sentAt: state.sentAt,
        timeoutHours: data.timeoutHours,
        at: context.now,
      },
    },
  ];
}

/** The first officer names the outcome and why; the same officer asking again may correct it. */
function requestOutcomeDecision(
  { data, context }: Commands.RequestOutcomeDecision,
  state: ExistingPayment,
): PaymentEvent[] {
  if (state.status !== 'outcome-unknown') {
    throw ruleBroken(
      'OUTCOME_NOT_UNKNOWN',
      `Only a payment whose outcome is unknown is decided by officers; this one is ${state.status}`,
    );
  }
  const reason = data.reason.trim();
  if (reason.length < 5 || reason.length > 500)
    throw invalid('INVALID_REASON', 'A decision needs a reason of 5 to 500 characters', 'reason');
  const request = state.decisionRequest;
  if (request) {
    if (!sameUserId(request.requestedBy, context.actor.userId)) {
      throw conflict(
        'OUTCOME_DECISION_PENDING',
        `${request.requestedBy} already asked to decide '${request.outcome}': a second officer confirms it`,
      );
    }
    if (request.outcome === data.outcome && request.reason === reason) return [];
  }
  return [
    {
      type: 'PaymentOutcomeDecisionRequested',
      data: {
        paymentId: state.paymentId,
        batchId: state.batchId,
        outcome: data.outcome,
        reason,
        requestedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/** Four eyes: a second, different officer confirms the outcome the first one named. */
function confirmOutcomeDecision(
  { data, context }: Commands.ConfirmOutcomeDecision,
  state: ExistingPayment,
): PaymentEvent[] {
  const decided =
    (state.status === 'credited' && state.decidedBy !== undefined && data.outcome === 'credited') ||
    (state.status === 'not-credited' && data.outcome === 'not-credited');
  // Already decided so: the outcome asked for has happened.
  if (decided) return [];
  if (state.status !== 'outcome-unknown') {
    throw ruleBroken('OUTCOME_NOT_UNKNOWN', `The payment is ${state.status}: there is no unknown outcome to decide`);
  }
  if (!state.decisionRequest) {
    throw ruleBroken('NO_OUTCOME_DECISION_REQUESTED', 'Nobody has asked to decide the outcome of this payment');
  }
  const request = state.decisionRequest;
  // Ids are canonical from the edge on; sameUserId also folds ids recorded before they were.
  if (sameUserId(request.requestedBy, context.actor.userId)) {
    throw forbidden('FOUR_EYES_REQUIRED', 'The officer who asked for a decision cannot confirm it');
  }
  if (request.outcome !== data.outcome) {
    throw conflict(
      'OUTCOME_DECISION_DIFFERS',
      `${request.requestedBy} asked to decide '${request.outcome}', not '${data.outcome}'`,
      'outcome',
    );
  }
  return [
    {
      type: 'PaymentOutcomeDecided',
      data: {
        paymentId: state.paymentId,
        batchId: state.batchId,
        outcome: request.outcome,
        amount: state.amount,
        reason: request.reason,
        requestedBy: request.requestedBy,
        decidedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

function requestReversal({ data, context }: Commands.RequestReversal, state: ExistingPayment): PaymentEvent[] {
  if (state.status !== 'credited') {
    throw ruleBroken('PAYMENT_NOT_CREDITED', `Only a credited payment can be reversed; this one is ${state.status}`);
  }
  const reason = data.reason.trim();
  if (reason.length < 5 || reason.length > 500)
    throw invalid('INVALID_REASON', 'A reversal needs a reason of 5 to 500 characters', 'reason');
  if (state.reversalRequest) {
    if (sameUserId(state.reversalRequest.requestedBy, context.actor.userId)) return [];
    throw conflict('REVERSAL_ALREADY_REQUESTED', `Reversal already requested by ${state.reversalRequest.requestedBy}`);
  }
  return [
    {
      type: 'PaymentReversalRequested',
      data: { paymentId: state.paymentId, reason, requestedBy: context.actor.userId, at: context.now },
    },
  ];
}

function approveReversal({ context }: Commands.ApproveReversal, state: ExistingPayment): PaymentEvent[] {
  if (state.status === 'reversed') return [];
  if (state.status !== 'credited' || !state.reversalRequest) {
    throw ruleBroken('NO_REVERSAL_REQUESTED', 'Nobody has requested a reversal of this payment');
  }
  // Ids are canonical from the edge on; sameUserId also folds ids recorded before they were.
  if (sameUserId(state.reversalRequest.requestedBy, context.actor.userId)) {
    throw forbidden('FOUR_EYES_REQUIRED', 'The officer who requested a reversal cannot approve it');
  }
  return [
    {
      type: 'PaymentReversed',
      data: {
        paymentId: state.paymentId,
        amount: state.creditedAmount,
        reason: state.reversalRequest.reason,
        requestedBy: state.reversalRequest.requestedBy,
        approvedBy: context.actor.userId,
        at: context.now,
      },
    },
  ];
}

/** Sent in that batch and not answered yet: the bank's answer may also settle an unknown outcome. */
function assertSentIn(state: ExistingPayment, batchId: string): void {
  if ((state.status !== 'sent' && state.status !== 'outcome-unknown') || state.batchId !== batchId) {
    throw ruleBroken('PAYMENT_NOT_SENT', `Payment is ${state.status}, not sent to the bank in batch ${batchId}`);
  }
}

function assertReasonCode(reasonCode: string): void {
  if (!REASON_CODE.test(reasonCode))
    throw invalid('INVALID_REASON_CODE', 'reasonCode must be an ISO 20022 code such as AC01', 'reasonCode');
}

function assertBankReference(reference: string): void {
  if (!BANK_REFERENCE.test(reference))
    throw invalid('INVALID_BANK_REFERENCE', 'bankReference must be 1 to 35 printable characters', 'bankReference');
}

/** The record's revision the account was read at, when the command names it (no key otherwise). */
function revisionOf(data: { beneficiaryRevision?: number }): { beneficiaryRevision?: number } {
  return data.beneficiaryRevision === undefined ? {} : { beneficiaryRevision: data.beneficiaryRevision };
}
