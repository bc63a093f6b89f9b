import type { BankAccountSnapshot } from './bank-account';
import type { UnknownOutcomeDecision } from './payment.events';

interface PaymentFacts {
  readonly paymentId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly beneficiaryId: string;
  /** The approved amount, canonical string. */
  readonly amount: string;
  /** 1 for the first issue, 2 after the first reissue, and so on. */
  readonly attempt: number;
  /** The account of the latest batching: a reissue must go elsewhere. */
  readonly account?: BankAccountSnapshot;
  /** The beneficiary's record revision that account was read at (PaymentBatched), when it names it. */
  readonly beneficiaryRevision?: number;
}

/** The first officer's half of a four-eyes decision on an unknown outcome. */
export interface OutcomeDecisionRequest {
  readonly outcome: UnknownOutcomeDecision;
  readonly reason: string;
  readonly requestedBy: string;
}

export type PaymentState =
  | { readonly status: 'absent' }
  /** In the pool, waiting for a batch: first issue or reissue. */
  | (PaymentFacts & { readonly status: 'scheduled' | 'reissued' })
  | (PaymentFacts & { readonly status: 'batched'; readonly batchId: string })
  | (PaymentFacts & { readonly status: 'sent'; readonly batchId: string; readonly sentAt: string })
  /**
   * Sent, and no final answer came within BANK_OUTCOME_TIMEOUT_HOURS: never resent blindly. A
   * status report (credit or rejection) or two officers (a request, then a confirmation) resolve it.
   */
  | (PaymentFacts & {
      readonly status: 'outcome-unknown';
      readonly batchId: string;
      readonly sentAt: string;
      readonly decisionRequest?: OutcomeDecisionRequest;
    })
  | (PaymentFacts & {
      readonly status: 'credited';
      readonly batchId: string;
      readonly creditedAmount: string;
      /** The bank's reference; undefined for a credit two officers decided (PaymentOutcomeDecided). */
      readonly bankReference?: string;
      /** Who confirmed a decided credit; undefined for a credit the bank reported. */
      readonly decidedBy?: string;
      readonly reversalRequest?: { readonly requestedBy: string; readonly reason: string };
    })
  | (PaymentFacts & {
      readonly status: 'rejected' | 'returned';
      readonly batchId: string;
      readonly reasonCode: string;
      readonly bankReference?: string;
    })
  /** Two officers decided the bank never credited it: reissued as is, like a debtor-side rejection. */
  | (PaymentFacts & { readonly status: 'not-credited'; readonly batchId: string; readonly decidedBy: string })
  | (PaymentFacts & { readonly status: 'reversed'; readonly batchId: string });

export type ExistingPayment = Exclude<PaymentState, { status: 'absent' }>;

export const initialPaymentState: PaymentState = { status: 'absent' };
