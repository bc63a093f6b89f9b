import type { BankAccount } from './bank-account';
import type { ExitReason } from './beneficiary.commands';

export interface BeneficiaryProfile {
  readonly beneficiaryId: string;
  readonly programmeId: string;
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankAccount: BankAccount;
}

export interface AbsentBeneficiary {
  readonly status: 'absent';
}

/** Receives payments. */
export interface ActiveBeneficiary extends BeneficiaryProfile {
  readonly status: 'active';
  /** The reason of the reinstatement that made it active again, if it was: recognises a retried reinstatement. */
  readonly reinstatementReason?: string;
}

/** Receives no payments until reinstated. */
export interface SuspendedBeneficiary extends BeneficiaryProfile {
  readonly status: 'suspended';
  readonly suspensionReason: string;
}

/** Final: no payment, no change. */
export interface ExitedBeneficiary extends BeneficiaryProfile {
  readonly status: 'exited';
  readonly exitReason: ExitReason;
  readonly exitNote?: string;
}

export type EnrolledBeneficiary = ActiveBeneficiary | SuspendedBeneficiary | ExitedBeneficiary;
export type BeneficiaryState = AbsentBeneficiary | EnrolledBeneficiary;

export const initialBeneficiaryState: BeneficiaryState = { status: 'absent' };

export const BENEFICIARY_STREAM_PREFIX = 'beneficiary-';

export function beneficiaryStreamName(beneficiaryId: string): string {
  return `${BENEFICIARY_STREAM_PREFIX}${beneficiaryId}`;
}

/** Only an active beneficiary is paid when a round opens. */
export function isPayable(state: BeneficiaryState): state is ActiveBeneficiary {
  return state.status === 'active';
}

export function profileOf(beneficiary: EnrolledBeneficiary): BeneficiaryProfile {
  const { beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount } = beneficiary;
  return { beneficiaryId, programmeId, nik, kk, name, regionCode, bankAccount };
}
