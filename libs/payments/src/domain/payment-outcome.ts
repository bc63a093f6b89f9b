import type { Decider } from '@salur/kernel';
import { PAYMENT_EVENTS, type PaymentEvent } from './payment.events';

/**
 * The answers that end a payment's attempt in a batch: what the bank said (credited, rejected,
 * returned, or reversed after a credit) or what two officers decided about an unknown outcome.
 * A later reissue is a new attempt in another batch; it does not reopen this one.
 */
export const FINAL_OUTCOMES = [
  'credited',
  'rejected',
  'returned',
  'reversed',
  'decided-credited',
  'decided-not-credited',
] as const;
export type FinalOutcome = (typeof FINAL_OUTCOMES)[number];

/** Where one payment's attempt in one batch stands: final, or still waiting (or never sent in it). */
export type OutcomeInBatch = FinalOutcome | 'not-sent' | 'sent' | 'outcome-unknown';

export function isFinalOutcome(outcome: OutcomeInBatch | undefined): outcome is FinalOutcome {
  return (FINAL_OUTCOMES as readonly string[]).includes(outcome ?? '');
}

interface OutcomeFold {
  readonly outcome: OutcomeInBatch;
  /** The payment's latest credit was in this batch (a reversal names no batch: it follows the credit). */
  readonly creditedHere: boolean;
}

/**
 * A fold of a payment's stream into its outcome in one batch, read with loadStream as a decider's
 * stream is: `(await loadStream(store, paymentStreamName(id), outcomeInBatchFold(batchId))).state.outcome`.
 */
export function outcomeInBatchFold(
  batchId: string,
): Pick<Decider<never, OutcomeFold, PaymentEvent>, 'initialState' | 'evolve' | 'events'> {
  return {
    initialState: { outcome: 'not-sent', creditedHere: false },
    events: PAYMENT_EVENTS,
    evolve: (state, event) => evolveOutcome(state, event, batchId),
  };
}

function evolveOutcome(state: OutcomeFold, event: PaymentEvent, batchId: string): OutcomeFold {
  if (event.type === 'PaymentReversed') return state.creditedHere ? { ...state, outcome: 'reversed' } : state;
  if (!('batchId' in event.data)) return state;
  const here = event.data.batchId === batchId;
  switch (event.type) {
    case 'PaymentCredited':
      return here ? { outcome: 'credited', creditedHere: true } : { ...state, creditedHere: false };
    case 'PaymentOutcomeDecided': {
      const credited = event.data.outcome === 'credited';
      if (!here) return { ...state, creditedHere: false };
      return { outcome: credited ? 'decided-credited' : 'decided-not-credited', creditedHere: credited };
    }
    case 'PaymentSentToBank':
    case 'PaymentOutcomeUnknown':
    case 'PaymentRejected':
    case 'PaymentReturned': {
      if (!here) return state;
      const outcome = OUTCOME_OF[event.type];
      return { outcome, creditedHere: event.type === 'PaymentReturned' ? false : state.creditedHere };
    }
    default:
      return state;
  }
}

const OUTCOME_OF = {
  PaymentSentToBank: 'sent',
  PaymentOutcomeUnknown: 'outcome-unknown',
  PaymentRejected: 'rejected',
  PaymentReturned: 'returned',
} as const satisfies Partial<Record<PaymentEvent['type'], OutcomeInBatch>>;
