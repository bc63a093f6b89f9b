import type { RecordedEvent } from '@salur/event-store';
import type { BankFileEvent } from '@salur/bank-integration/domain';
import type { BatchEvent } from '@salur/batches';
import type { BeneficiaryEvent } from '@salur/beneficiaries';
import type { PaymentEvent } from '@salur/payments';
import type { ProgrammeEvent } from '@salur/programmes';

/*
 * The ledger's events as the read models of this library see them: every type of each
 * capability, typed by the capability's own union (types only: no runtime dependency on the
 * capabilities' modules, which use this library's queries). `satisfies` makes the compiler check
 * each list against its union; an event of a type not listed here reads as undefined.
 */
const PROGRAMME_TYPES = [
  'ProgrammeCreated',
  'BudgetCeilingRaised',
  'BudgetReserved',
  'BudgetReleased',
] as const satisfies readonly ProgrammeEvent['type'][];

const BENEFICIARY_TYPES = [
  'BeneficiaryEnrolled',
  'BankAccountChanged',
  'BeneficiarySuspended',
  'BeneficiaryReinstated',
  'BeneficiaryExited',
] as const satisfies readonly BeneficiaryEvent['type'][];

const PAYMENT_TYPES = [
  'PaymentScheduled',
  'PaymentBatched',
  'PaymentUnbatched',
  'PaymentSentToBank',
  'PaymentCredited',
  'PaymentDeductionFlagged',
  'PaymentRejected',
  'PaymentReturned',
  'PaymentReissued',
  'PaymentReversalRequested',
  'PaymentReversed',
] as const satisfies readonly PaymentEvent['type'][];

const BATCH_TYPES = [
  'BatchCreated',
  'BatchChanged',
  'BatchApprovalRecorded',
  'BatchApproved',
  'BatchRejected',
  'BatchCancelled',
  'BatchExpired',
  'BatchFileGenerated',
  'BatchSubmitted',
] as const satisfies readonly BatchEvent['type'][];

const BANK_FILE_TYPES = ['BankResultException', 'BankFileIngested'] as const satisfies readonly BankFileEvent['type'][];

type Read<Event extends { type: string }, Types extends readonly string[]> = Extract<Event, { type: Types[number] }>;

export type LedgerProgrammeEvent = Read<ProgrammeEvent, typeof PROGRAMME_TYPES>;
export type LedgerBeneficiaryEvent = Read<BeneficiaryEvent, typeof BENEFICIARY_TYPES>;
export type LedgerPaymentEvent = Read<PaymentEvent, typeof PAYMENT_TYPES>;
export type LedgerBatchEvent = Read<BatchEvent, typeof BATCH_TYPES>;
export type LedgerBankFileEvent = Read<BankFileEvent, typeof BANK_FILE_TYPES>;

/**
 * The recorded event as its capability's domain event, or undefined when it is of another type.
 * The data is trusted, not checked: the log holds only what the deciders wrote. When an event's
 * schemaVersion changes, the upcaster to the current shape belongs here.
 */
function narrowTo<Event extends { type: string; data: object }>(types: readonly string[]) {
  const known = new Set(types);
  return (recorded: RecordedEvent): Event | undefined =>
    // The recorded event is already { type, data, … }: read as the domain event, without a copy.
    known.has(recorded.type) ? (recorded as unknown as Event) : undefined;
}

export const programmeEvent = narrowTo<LedgerProgrammeEvent>(PROGRAMME_TYPES);
export const beneficiaryEvent = narrowTo<LedgerBeneficiaryEvent>(BENEFICIARY_TYPES);
export const paymentEvent = narrowTo<LedgerPaymentEvent>(PAYMENT_TYPES);
export const batchEvent = narrowTo<LedgerBatchEvent>(BATCH_TYPES);
export const bankFileEvent = narrowTo<LedgerBankFileEvent>(BANK_FILE_TYPES);

/** When a fact happened by the command's clock: every ledger event has `at`, a bank file `generatedAt`. */
export function instantOf(recorded: RecordedEvent): string {
  const { at, generatedAt } = recorded.data as { at?: unknown; generatedAt?: unknown };
  if (typeof at === 'string') return at;
  if (typeof generatedAt === 'string') return generatedAt;
  return recorded.recordedAt;
}
