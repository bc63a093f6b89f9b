import type { DomainCommand } from '@salur/kernel';
import type { BankAccountSnapshot } from './bank-account';
import type { BankCreditEvidence } from './bank-credit-evidence';
import type { UnknownOutcomeDecision } from './payment.events';

export type SchedulePayment = DomainCommand<
  'SchedulePayment',
  { paymentId: string; programmeId: string; period: string; beneficiaryId: string; amount: string }
>;
/**
 * `beneficiaryRevision`: the revision of the beneficiary's record the account was read at (every
 * use case passes it; proofs bind the account to that revision, else to log order).
 */
export type BatchPayment = DomainCommand<
  'BatchPayment',
  { paymentId: string; batchId: string; account: BankAccountSnapshot; beneficiaryRevision?: number }
>;
export type UnbatchPayment = DomainCommand<'UnbatchPayment', { paymentId: string; batchId: string; reason: string }>;
export type MarkPaymentSent = DomainCommand<'MarkPaymentSent', { paymentId: string; batchId: string }>;
/** `bankEvidence`: the result file line's own references, passed in by the ingestion (none from older callers). */
export type RecordCredit = DomainCommand<
  'RecordCredit',
  {
    paymentId: string;
    batchId: string;
    creditedAmount: string;
    bankReference: string;
    valueDate: string;
    bankEvidence?: BankCreditEvidence;
  }
>;
export type RecordRejection = DomainCommand<
  'RecordRejection',
  { paymentId: string; batchId: string; reasonCode: string; bankReference?: string }
>;
export type RecordReturn = DomainCommand<
  'RecordReturn',
  { paymentId: string; batchId: string; reasonCode: string; returnedAmount: string; bankReference: string }
>;
/** The scheduled pass: a payment sent more than `timeoutHours` ago with no final answer. */
export type MarkOutcomeUnknown = DomainCommand<
  'MarkOutcomeUnknown',
  { paymentId: string; batchId: string; timeoutHours: number }
>;
export type RequestOutcomeDecision = DomainCommand<
  'RequestOutcomeDecision',
  { paymentId: string; outcome: UnknownOutcomeDecision; reason: string }
>;
/** The second officer names the outcome too: they confirm what they read, not whatever was asked. */
export type ConfirmOutcomeDecision = DomainCommand<
  'ConfirmOutcomeDecision',
  { paymentId: string; outcome: UnknownOutcomeDecision }
>;
export type ReissuePayment = DomainCommand<
  'ReissuePayment',
  { paymentId: string; account: BankAccountSnapshot; beneficiaryRevision?: number }
>;
export type RequestReversal = DomainCommand<'RequestReversal', { paymentId: string; reason: string }>;
export type ApproveReversal = DomainCommand<'ApproveReversal', { paymentId: string }>;

export type PaymentCommand =
  | SchedulePayment
  | BatchPayment
  | UnbatchPayment
  | MarkPaymentSent
  | RecordCredit
  | RecordRejection
  | RecordReturn
  | MarkOutcomeUnknown
  | RequestOutcomeDecision
  | ConfirmOutcomeDecision
  | ReissuePayment
  | RequestReversal
  | ApproveReversal;
