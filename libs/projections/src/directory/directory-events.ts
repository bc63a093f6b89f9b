import type { RecordedEvent } from '@salur/event-store';
import type { BatchEvent } from '@salur/batches';
import type { BeneficiaryEvent } from '@salur/beneficiaries';
import type { PaymentEvent } from '@salur/payments';
import type { ProgrammeEvent } from '@salur/programmes';

/*
 * The directory reads four capabilities' events. It imports their types only: no runtime
 * dependency on their modules, so a capability may in turn use the directory's queries.
 * `satisfies` makes the compiler check each list against the capability's own event union.
 */
const PROGRAMME_EVENT_TYPES = [
  'ProgrammeCreated',
  'BudgetCeilingRaised',
  'BudgetReserved',
  'BudgetReleased',
] as const satisfies readonly ProgrammeEvent['type'][];

const BENEFICIARY_EVENT_TYPES = [
  'BeneficiaryEnrolled',
  'BankAccountChanged',
  'BeneficiarySuspended',
  'BeneficiaryReinstated',
  'BeneficiaryExited',
] as const satisfies readonly BeneficiaryEvent['type'][];

const PAYMENT_EVENT_TYPES = [
  'PaymentScheduled',
  'PaymentBatched',
  'PaymentUnbatched',
  'PaymentSentToBank',
  'PaymentCredited',
  'PaymentRejected',
  'PaymentReturned',
  'PaymentReissued',
  'PaymentReversed',
] as const satisfies readonly PaymentEvent['type'][];

const BATCH_EVENT_TYPES = [
  'BatchCreated',
  'BatchChanged',
  'BatchApprovalRecorded',
  'BatchApproved',
  'BatchRejected',
  'BatchCancelled',
  'BatchExpired',
] as const satisfies readonly BatchEvent['type'][];

/** The events of a capability that the directory reads (some, like PaymentDeductionFlagged, it ignores). */
type Read<Event extends { type: string }, Types extends readonly string[]> = Extract<Event, { type: Types[number] }>;

export type ProgrammeDirectoryEvent = Read<ProgrammeEvent, typeof PROGRAMME_EVENT_TYPES>;
export type BeneficiaryDirectoryEvent = Read<BeneficiaryEvent, typeof BENEFICIARY_EVENT_TYPES>;
export type PaymentDirectoryEvent = Read<PaymentEvent, typeof PAYMENT_EVENT_TYPES>;
export type BatchDirectoryEvent = Read<BatchEvent, typeof BATCH_EVENT_TYPES>;

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

export const programmeEventOf = narrowTo<ProgrammeDirectoryEvent>(PROGRAMME_EVENT_TYPES);
export const beneficiaryEventOf = narrowTo<BeneficiaryDirectoryEvent>(BENEFICIARY_EVENT_TYPES);
export const paymentEventOf = narrowTo<PaymentDirectoryEvent>(PAYMENT_EVENT_TYPES);
export const batchEventOf = narrowTo<BatchDirectoryEvent>(BATCH_EVENT_TYPES);
