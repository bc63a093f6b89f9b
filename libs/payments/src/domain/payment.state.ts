import type { BankAccountSnapshot } from './bank-account';

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
}

export type PaymentState =
  | { readonly status: 'absent' }
  /** In the pool, waiting for a batch: first issue or reissue. */
  | (PaymentFacts & { readonly status: 'scheduled' | 'reissued' })
  | (PaymentFacts & { readonly status: 'batched' | 'sent'; readonly batchId: string })
  | (PaymentFacts & {
      readonly status: 'credited';
      readonly batchId: string;
      readonly creditedAmount: string;
      readonly bankReference: string;
      readonly reversalRequest?: { readonly requestedBy: string; readonly reason: string };
    })
  | (PaymentFacts & {
      readonly status: 'rejected' | 'returned';
      readonly batchId: string;
      readonly reasonCode: string;
      readonly bankReference?: string;
    })
  | (PaymentFacts & { readonly status: 'reversed'; readonly batchId: string });

export type ExistingPayment = Exclude<PaymentState, { status: 'absent' }>;

export const initialPaymentState: PaymentState = { status: 'absent' };
