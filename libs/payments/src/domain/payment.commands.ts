import type { CommandContext } from '@salur/kernel';
import type { BankAccountSnapshot } from './bank-account';

type PaymentCommandOf<Type extends string, Data> = { type: Type; data: Data; context: CommandContext };

export type SchedulePayment = PaymentCommandOf<
  'SchedulePayment',
  { paymentId: string; programmeId: string; period: string; beneficiaryId: string; amount: string }
>;
export type BatchPayment = PaymentCommandOf<
  'BatchPayment',
  { paymentId: string; batchId: string; account: BankAccountSnapshot }
>;
export type UnbatchPayment = PaymentCommandOf<'UnbatchPayment', { paymentId: string; batchId: string; reason: string }>;
export type MarkPaymentSent = PaymentCommandOf<'MarkPaymentSent', { paymentId: string; batchId: string }>;
export type RecordCredit = PaymentCommandOf<
  'RecordCredit',
  { paymentId: string; batchId: string; creditedAmount: string; bankReference: string; valueDate: string }
>;
export type RecordRejection = PaymentCommandOf<
  'RecordRejection',
  { paymentId: string; batchId: string; reasonCode: string; bankReference?: string }
>;
export type RecordReturn = PaymentCommandOf<
  'RecordReturn',
  { paymentId: string; batchId: string; reasonCode: string; returnedAmount: string; bankReference: string }
>;
export type ReissuePayment = PaymentCommandOf<'ReissuePayment', { paymentId: string; account: BankAccountSnapshot }>;
export type RequestReversal = PaymentCommandOf<'RequestReversal', { paymentId: string; reason: string }>;
export type ApproveReversal = PaymentCommandOf<'ApproveReversal', { paymentId: string }>;

export type PaymentCommand =
  | SchedulePayment
  | BatchPayment
  | UnbatchPayment
  | MarkPaymentSent
  | RecordCredit
  | RecordRejection
  | RecordReturn
  | ReissuePayment
  | RequestReversal
  | ApproveReversal;
