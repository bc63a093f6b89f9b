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

export type BeneficiaryCommand =
  EnrolBeneficiary | ChangeBankAccount | SuspendBeneficiary | ReinstateBeneficiary | ExitBeneficiary;
