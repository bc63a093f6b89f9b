import { eventRegistry, type DomainEvent } from '@salur/kernel';
import type { BankAccount } from './bank-account';
import type { ExitReason } from './beneficiary.commands';

/** Each event names its beneficiary and programme, so projections by programme need no lookup. */
interface BeneficiaryFact {
  readonly beneficiaryId: string;
  readonly programmeId: string;
  /** The command's ISO-8601 instant. */
  readonly at: string;
}

export type BeneficiaryEnrolled = DomainEvent<
  'BeneficiaryEnrolled',
  BeneficiaryFact & {
    readonly nik: string;
    readonly kk: string;
    readonly name: string;
    readonly regionCode: string;
    readonly bankAccount: BankAccount;
    readonly enrolledBy: string;
  }
>;

export type BankAccountChanged = DomainEvent<
  'BankAccountChanged',
  BeneficiaryFact & {
    readonly previousBankAccount: BankAccount;
    readonly bankAccount: BankAccount;
    readonly reason: string;
    readonly changedBy: string;
  }
>;

export type BeneficiarySuspended = DomainEvent<
  'BeneficiarySuspended',
  BeneficiaryFact & { readonly reason: string; readonly suspendedBy: string }
>;

export type BeneficiaryReinstated = DomainEvent<
  'BeneficiaryReinstated',
  BeneficiaryFact & { readonly reason: string; readonly reinstatedBy: string }
>;

export type BeneficiaryExited = DomainEvent<
  'BeneficiaryExited',
  BeneficiaryFact & {
    readonly reason: ExitReason;
    /** Present only when the officer wrote one. */
    readonly note?: string;
    readonly exitedBy: string;
  }
>;

/** An admin asks for erasure; the reason is personal data (sealed, erased with the rest). */
export type BeneficiaryErasureRequested = DomainEvent<
  'BeneficiaryErasureRequested',
  BeneficiaryFact & { readonly reason: string; readonly requestedBy: string }
>;

/**
 * A second admin approved: from here on the beneficiary's key is deleted (right after this event,
 * or by the erasure pass after a crash) and every personal field of theirs reads '[erased]'.
 * Carries no personal data, so it stays readable for the audit.
 */
export type BeneficiaryErased = DomainEvent<
  'BeneficiaryErased',
  BeneficiaryFact & {
    readonly requestedBy: string;
    readonly approvedBy: string;
    /** The programme's retention the erasure was judged against, and when it ended. */
    readonly retention: string;
    readonly retentionEndedAt: string;
  }
>;

export type BeneficiaryEvent =
  | BeneficiaryEnrolled
  | BankAccountChanged
  | BeneficiarySuspended
  | BeneficiaryReinstated
  | BeneficiaryExited
  | BeneficiaryErasureRequested
  | BeneficiaryErased;

/** Every beneficiary event type, for readers of the log (see toDomainEvent). */
export const BENEFICIARY_EVENTS = eventRegistry<BeneficiaryEvent>({
  BeneficiaryEnrolled: true,
  BankAccountChanged: true,
  BeneficiarySuspended: true,
  BeneficiaryReinstated: true,
  BeneficiaryExited: true,
  BeneficiaryErasureRequested: true,
  BeneficiaryErased: true,
});
