import type { PaymentEvent } from './payment.events';
import type { ExistingPayment, PaymentState } from './payment.state';

export function evolvePayment(state: PaymentState, event: PaymentEvent): PaymentState {
  if (event.type === 'PaymentScheduled') {
    const { paymentId, programmeId, period, beneficiaryId, amount } = event.data;
    return { status: 'scheduled', paymentId, programmeId, period, beneficiaryId, amount, attempt: 1 };
  }
  if (state.status === 'absent') return state;
  const facts = factsOf(state);
  switch (event.type) {
    case 'PaymentBatched':
      return {
        ...facts,
        status: 'batched',
        batchId: event.data.batchId,
        account: event.data.account,
        beneficiaryRevision: event.data.beneficiaryRevision,
      };
    case 'PaymentUnbatched':
      return { ...facts, status: facts.attempt > 1 ? 'reissued' : 'scheduled' };
    case 'PaymentSentToBank':
      return { ...facts, status: 'sent', batchId: event.data.batchId, sentAt: event.data.at };
    case 'PaymentCredited':
      return {
        ...facts,
        status: 'credited',
        batchId: event.data.batchId,
        creditedAmount: event.data.creditedAmount,
        bankReference: event.data.bankReference,
      };
    case 'PaymentDeductionFlagged':
      return state;
    case 'PaymentRejected':
      return {
        ...facts,
        status: 'rejected',
        batchId: event.data.batchId,
        reasonCode: event.data.reasonCode,
        bankReference: event.data.bankReference,
      };
    case 'PaymentReturned':
      return {
        ...facts,
        status: 'returned',
        batchId: event.data.batchId,
        reasonCode: event.data.reasonCode,
        bankReference: event.data.bankReference,
      };
    case 'PaymentOutcomeUnknown':
      return { ...facts, status: 'outcome-unknown', batchId: event.data.batchId, sentAt: event.data.sentAt };
    case 'PaymentOutcomeDecisionRequested': {
      if (state.status !== 'outcome-unknown') return state;
      const { outcome, reason, requestedBy } = event.data;
      return { ...state, decisionRequest: { outcome, reason, requestedBy } };
    }
    case 'PaymentOutcomeDecided': {
      const { batchId, outcome, amount, decidedBy } = event.data;
      return outcome === 'credited'
        ? { ...facts, status: 'credited', batchId, creditedAmount: amount, decidedBy }
        : { ...facts, status: 'not-credited', batchId, decidedBy };
    }
    case 'PaymentReissued':
      return { ...facts, status: 'reissued', attempt: event.data.attempt, account: event.data.previousAccount };
    case 'PaymentReversalRequested':
      return state.status === 'credited'
        ? { ...state, reversalRequest: { requestedBy: event.data.requestedBy, reason: event.data.reason } }
        : state;
    case 'PaymentReversed':
      return { ...facts, status: 'reversed', batchId: 'batchId' in state ? state.batchId : '' };
  }
}

/** The facts that survive every state change. */
function factsOf(state: ExistingPayment) {
  const { paymentId, programmeId, period, beneficiaryId, amount, attempt, account, beneficiaryRevision } = state;
  return { paymentId, programmeId, period, beneficiaryId, amount, attempt, account, beneficiaryRevision };
}
