import { eventRegistry, type DomainEvent } from '@salur/kernel';
import type { BankAccountSnapshot } from './bank-account';
import type { BankCreditEvidence } from './bank-credit-evidence';

export type PaymentScheduled = DomainEvent<
  'PaymentScheduled',
  {
    paymentId: string;
    programmeId: string;
    period: string;
    beneficiaryId: string;
    /** The approved amount: what must reach the beneficiary, in full. */
    amount: string;
    scheduledBy: string;
    at: string;
  }
>;
/**
 * `beneficiaryRevision`: the revision of the beneficiary's record whose account this is, so a
 * proof binds the account to that record even when it changed while the batch was being built.
 * Absent on claims recorded before 2026-12.
 */
export type PaymentBatched = DomainEvent<
  'PaymentBatched',
  {
    paymentId: string;
    batchId: string;
    account: BankAccountSnapshot;
    beneficiaryRevision?: number;
    attempt: number;
    at: string;
  }
>;
export type PaymentUnbatched = DomainEvent<
  'PaymentUnbatched',
  { paymentId: string; batchId: string; reason: string; at: string }
>;
export type PaymentSentToBank = DomainEvent<'PaymentSentToBank', { paymentId: string; batchId: string; at: string }>;
/**
 * The bank reported the payment credited. `bankEvidence` is the bank's own word for it (its
 * references, booking date, the amount as it wrote it, the SHA-256 of its file), so a statement
 * from the bank can be checked against the ledger. It is optional: credits recorded before it
 * existed (2026-12) have none, and no event is rewritten; every credit ingested from a bank file
 * since has it. Two officers' decision is `PaymentOutcomeDecided`, never this event.
 */
export type PaymentCredited = DomainEvent<
  'PaymentCredited',
  {
    paymentId: string;
    batchId: string;
    approvedAmount: string;
    creditedAmount: string;
    /** approved − credited; "0.00" when the beneficiary received the full amount. */
    deductedAmount: string;
    bankReference: string;
    valueDate: string;
    bankEvidence?: BankCreditEvidence;
    at: string;
  }
>;
/** Raised next to a short credit: somebody took money on the way, and an auditor must look. */
export type PaymentDeductionFlagged = DomainEvent<
  'PaymentDeductionFlagged',
  {
    paymentId: string;
    batchId: string;
    approvedAmount: string;
    creditedAmount: string;
    deductedAmount: string;
    at: string;
  }
>;
export type PaymentRejected = DomainEvent<
  'PaymentRejected',
  { paymentId: string; batchId: string; reasonCode: string; bankReference?: string; at: string }
>;
export type PaymentReturned = DomainEvent<
  'PaymentReturned',
  { paymentId: string; batchId: string; reasonCode: string; returnedAmount: string; bankReference: string; at: string }
>;
/** What two officers may decide about a payment whose outcome is unknown. */
export const UNKNOWN_OUTCOME_DECISIONS = ['credited', 'not-credited'] as const;
export type UnknownOutcomeDecision = (typeof UNKNOWN_OUTCOME_DECISIONS)[number];

/**
 * No final answer from the bank `timeoutHours` after the payment was sent (written by the
 * scheduled pass): the payment is not resent until a status report or two officers resolve it.
 */
export type PaymentOutcomeUnknown = DomainEvent<
  'PaymentOutcomeUnknown',
  { paymentId: string; batchId: string; sentAt: string; timeoutHours: number; at: string }
>;
/** A finance officer's request to settle an unknown outcome; a second one confirms it. */
export type PaymentOutcomeDecisionRequested = DomainEvent<
  'PaymentOutcomeDecisionRequested',
  {
    paymentId: string;
    batchId: string;
    outcome: UnknownOutcomeDecision;
    reason: string;
    requestedBy: string;
    at: string;
  }
>;
/**
 * Two different officers decided an unknown outcome. `credited`: the approved amount reached the
 * beneficiary (no bank reference: the officers' decision is the evidence); `not-credited`: it
 * never left, the payment is reissued as is and its budget share released.
 */
export type PaymentOutcomeDecided = DomainEvent<
  'PaymentOutcomeDecided',
  {
    paymentId: string;
    batchId: string;
    outcome: UnknownOutcomeDecision;
    /** The approved amount the decision is about: credited in full, or not at all. */
    amount: string;
    reason: string;
    requestedBy: string;
    decidedBy: string;
    at: string;
  }
>;
export type PaymentReissued = DomainEvent<
  'PaymentReissued',
  {
    paymentId: string;
    previousAccount: BankAccountSnapshot;
    account: BankAccountSnapshot;
    /** As on PaymentBatched: the record's revision the account was read at (absent before 2026-12). */
    beneficiaryRevision?: number;
    attempt: number;
    reissuedBy: string;
    at: string;
  }
>;
export type PaymentReversalRequested = DomainEvent<
  'PaymentReversalRequested',
  { paymentId: string; reason: string; requestedBy: string; at: string }
>;
export type PaymentReversed = DomainEvent<
  'PaymentReversed',
  { paymentId: string; amount: string; reason: string; requestedBy: string; approvedBy: string; at: string }
>;

export type PaymentEvent =
  | PaymentScheduled
  | PaymentBatched
  | PaymentUnbatched
  | PaymentSentToBank
  | PaymentCredited
  | PaymentDeductionFlagged
  | PaymentRejected
  | PaymentReturned
  | PaymentOutcomeUnknown
  | PaymentOutcomeDecisionRequested
  | PaymentOutcomeDecided
  | PaymentReissued
  | PaymentReversalRequested
  | PaymentReversed;

/** Every payment event type, for readers of the log (see toDomainEvent). */
export const PAYMENT_EVENTS = eventRegistry<PaymentEvent>({
  PaymentScheduled: true,
  PaymentBatched: true,
  PaymentUnbatched: true,
  PaymentSentToBank: true,
  PaymentCredited: true,
  PaymentDeductionFlagged: true,
  PaymentRejected: true,
  PaymentReturned: true,
  PaymentOutcomeUnknown: true,
  PaymentOutcomeDecisionRequested: true,
  PaymentOutcomeDecided: true,
  PaymentReissued: true,
  PaymentReversalRequested: true,
  PaymentReversed: true,
});
