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
import type * as Commands from './payment.commands';
import type { PaymentCommand } from './payment.commands';
import { PAYMENT_EVENTS, type PaymentEvent } from './payment.events';
import { evolvePayment } from './payment.evolve';
import { isPeriod, paymentIdFor } from './payment-id';
import { ExistingPayment, initialPaymentState, PaymentState } from './payment.state';

const REASON_CODE = /^[A-Z0-9]{4}$/;
const BANK_REFERENCE = /^[\x21-\x7e]{1,35}$/;
const VALUE_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

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
        attempt: state.attempt,
        at: context.now,
      },
    },
  ];
}

function unbatch({ data, context }: Commands.UnbatchPayment, state: ExistingPayment): PaymentEvent[] {
  // Already out of that batch (a retried cancellation): nothing to do.
  if (!(state.status === 'batched' && state.batchId === data.batchId)) {
    if (state.status === 'sent' && state.batchId === data.batchId) {
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
    throw conflict('DUPLICATE_CREDIT', `Payment was already credited under reference ${state.bankReference}`);
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

function reissue({ data, context }: Commands.ReissuePayment, state: ExistingPayment): PaymentEvent[] {
  if (state.status === 'reissued' && state.account && !sameAccount(state.account, data.account)) {
    // A retried reissue to the fixed account: the payment is already back in the pool.
    return [];
  }
  if (state.status !== 'rejected' && state.status !== 'returned') {
    throw ruleBroken(
      'PAYMENT_NOT_REISSUABLE',
      `Only a rejected or returned payment can be reissued; this one is ${state.status}`,
    );
  }
  const previousAccount = state.account;
  if (!previousAccount) throw new Error(`Payment ${state.paymentId} was sent without an account`);
  if (sameAccount(previousAccount, data.account)) {
    throw ruleBroken(
      'ACCOUNT_NOT_FIXED',
      'The beneficiary still has the account the bank refused; fix it before reissuing',
    );
  }
  return [
    {
      type: 'PaymentReissued',
      data: {
        paymentId: state.paymentId,
        previousAccount,
        account: data.account,
        attempt: state.attempt + 1,
        reissuedBy: context.actor.userId,
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

function assertSentIn(state: ExistingPayment, batchId: string): void {
  if (state.status !== 'sent' || state.batchId !== batchId) {
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
