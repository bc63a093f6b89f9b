import type { BankAccount } from './bank-account';
import type { DomainCommand as Command } from '@salur/kernel';

/**
 * Fields are typed as they arrive from outside; the decider checks them. NIK, KK and account
 * numbers are strings: never let them pass through a number.
 */
export type EnrolBeneficiary = Command<
  'EnrolBeneficiary',
  {
    /** Derived by the application from (programme, NIK): one enrolment per NIK per programme. */
    beneficiaryId: string;
    programmeId: string;
    nik: string;
    kk: string;
    name: string;
    /** Kemendagri PP.RR.DD.VVVV of the residence. */
    regionCode: string;
    bankAccount: BankAccount;
  }
>;

export type ChangeBankAccount = Command<
  'ChangeBankAccount',
  { beneficiaryId: string; bankAccount: BankAccount; reason: string }
>;

export type SuspendBeneficiary = Command<'SuspendBeneficiary', { beneficiaryId: string; reason: string }>;

export type ReinstateBeneficiary = Command<'ReinstateBeneficiary', { beneficiaryId: string; reason: string }>;

export const EXIT_REASONS = ['graduated', 'deceased', 'moved'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export type ExitBeneficiary = Command<
  'ExitBeneficiary',
  { beneficiaryId: string; reason: string; note?: string | null }
>;

/**
 * What an erasure is decided against, read from other streams by the handler (the decider stays
 * pure): the programme's retention (canonical ISO-8601 duration) and the beneficiary's payments
 * that have no final state yet.
 */
export interface ErasureCircumstances {
  retention: string;
  openPaymentIds: readonly string[];
}

/** The first admin asks for the beneficiary's personal data to be erased (UU 27/2022). */
export type RequestBeneficiaryErasure = Command<
  'RequestBeneficiaryErasure',
  { beneficiaryId: string; reason: string } & ErasureCircumstances
>;

/** A second admin agrees: the fact is recorded, then the beneficiary's key is deleted. */
export type ApproveBeneficiaryErasure = Command<
  'ApproveBeneficiaryErasure',
  { beneficiaryId: string } & ErasureCircumstances
>;

export type BeneficiaryCommand =
  | EnrolBeneficiary
  | ChangeBankAccount
  | SuspendBeneficiary
  | ReinstateBeneficiary
  | ExitBeneficiary
  | RequestBeneficiaryErasure
  | ApproveBeneficiaryErasure;
